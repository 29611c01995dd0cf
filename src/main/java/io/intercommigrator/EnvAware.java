package io.intercommigrator;

import java.util.Map;

/** A command that takes the process environment explicitly (so tests can hand it a token without touching the real one). */
interface EnvAware {
    void env(Map<String, String> env);
}
