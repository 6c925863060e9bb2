package io.gpfo.node;

import io.gpfo.config.GpfoConfig;

/** The two configured coordinator hosts, by the name of their config section. */
public enum NodeName {
    COORDINATOR, STANDBY;

    public GpfoConfig.Node of(GpfoConfig config) {
        return this == COORDINATOR ? config.coordinator() : config.standby();
    }

    public NodeName peer() {
        return this == COORDINATOR ? STANDBY : COORDINATOR;
    }

    /** coordinator | standby, as in the config and the JSON. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
