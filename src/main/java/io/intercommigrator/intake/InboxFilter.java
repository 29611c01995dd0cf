package io.intercommigrator.intake;

import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;

/**
 * Skips the inbox's own bookkeeping (.done, .failed, .unrecognized, …), dot-files and error notes, and the files an
 * export ships under an {@code attachments/} folder (they are read with the messages that reference them).
 */
public final class InboxFilter implements GenericFileFilter<Object> {
    @Override
    public boolean accept(GenericFile<Object> file) {
        String name = file.getFileNameOnly();
        return !name.startsWith(".") && !name.endsWith(".error.txt") && !name.startsWith("__MACOSX")
                && !(file.isDirectory() && name.equalsIgnoreCase(io.intercommigrator.attachments.ShippedAttachments.FOLDER))
                && !io.intercommigrator.attachments.ShippedAttachments.isShippedFile(file.getRelativeFilePath().replace('\\', '/'));
    }
}
