package io.gpfo.install;

import java.util.Locale;
import java.util.Optional;

/** How a host starts services: systemd, or SysV init scripts (RHEL 6, containers, the lab). */
public enum InitSystem {
    SYSTEMD, SYSV;

    /** systemd | sysv, as {@code --init} takes it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The init system to install for: the operator's choice when given, else what the host
     * runs — systemd exactly when {@code /run/systemd/system} exists (what sd_booted(3) checks),
     * SysV otherwise.
     */
    public static InitSystem choose(Optional<InitSystem> override, boolean systemdRunning) {
        return override.orElse(systemdRunning ? SYSTEMD : SYSV);
    }

    /** {@code auto} is empty; {@code systemd} and {@code sysv} are themselves. */
    public static Optional<InitSystem> parseChoice(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "auto" -> Optional.empty();
            case "systemd" -> Optional.of(SYSTEMD);
            case "sysv" -> Optional.of(SYSV);
            default -> throw new IllegalArgumentException("'" + text + "' is not an init system (auto, systemd, sysv)");
        };
    }
}
