package io.intercommigrator.intake;

import java.util.Comparator;

import org.apache.camel.component.file.GenericFile;

/** The file consumer's sorter: files of one poll in phase order (attributes → people → contacts → threads → tags). */
public final class DropOrder implements Comparator<GenericFile<?>> {
    @Override
    public int compare(GenericFile<?> a, GenericFile<?> b) {
        int byPhase = Integer.compare(phase(a), phase(b));
        return byPhase != 0 ? byPhase : a.getRelativeFilePath().compareTo(b.getRelativeFilePath());
    }

    private static int phase(GenericFile<?> f) {
        return DropClassifier.classify(f.getRelativeFilePath(), null, null).map(DropKind::phase).orElse(99);
    }
}
