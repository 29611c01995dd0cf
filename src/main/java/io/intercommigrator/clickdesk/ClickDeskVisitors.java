package io.intercommigrator.clickdesk;

import java.util.List;

import io.intercommigrator.mapping.WorkItem;

/** Route step of {@code clickdesk-visitors}: maps each visitor work item with {@link VisitorToContact}. */
public final class ClickDeskVisitors {
    private final VisitorToContact mapper;

    public ClickDeskVisitors(VisitorToContact mapper) {
        this.mapper = mapper;
    }

    public List<String> requiredColumns() {
        return VisitorToContact.REQUIRED_COLUMNS;
    }

    public WorkItem plan(WorkItem item) {
        if (item.malformed() != null) {
            throw item.malformed();
        }
        return item.plan(mapper.map(item.fields()));
    }
}
