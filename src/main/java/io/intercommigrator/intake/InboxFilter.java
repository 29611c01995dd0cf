package io.intercommigrator.intake;

import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;

/** Skips the inbox's own bookkeeping (.done, .failed, .unrecognized, …), dot-files and error notes. */
public final class InboxFilter implements GenericFileFilter<Object> {
    @Override
    public boolean accept(GenericFile<Object> file) {
        String name = file.getFileNameOnly();
        return !name.startsWith(".") && !name.endsWith(".error.txt") && !name.startsWith("__MACOSX");
    }
}
