package io.intercommigrator;

/** A command that is handed its invocation explicitly (home, every -D, and the environment, so tests can pass a token). */
interface Configured {
    void invocation(App.Invocation invocation);
}
