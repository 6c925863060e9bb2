package io.gpfo.sql;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Greenplum 6's standby master accepts no connection (hot standby is for developers there): its postmaster
 * answers every startup packet with FATAL {@code 57M02} (mirror_ready) "the database system is in recovery
 * mode", DETAIL "last replayed record at X/Y" and the server's version (docs/greenplum.md §10.1). That refusal is
 * an answer: the postmaster runs, as a standby, and says how far it replayed. Greenplum's own FTS probe reads
 * its segments' mirrors the same way. Anything else refused stays a failure.
 */
public final class StandbyRefusal {

    /** ERRCODE_MIRROR_READY of Greenplum 6 (src/backend/utils/errcodes.txt). */
    static final String MIRROR_READY = "57M02";
    static final String IN_RECOVERY = "the database system is in recovery mode";
    private static final Pattern REPLAYED = Pattern.compile("last replayed record at ([0-9A-F]{1,8}/[0-9A-F]{1,8})");
    private static final Pattern VERSION = Pattern.compile("PostgreSQL (\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    private StandbyRefusal() {
    }

    /**
     * The status a refusal tells, or empty when it is not a standby's refusal. Its replay position is all it
     * says of replication: nothing of what was received beyond it, nor of the receiver's activity.
     */
    public static Optional<DatabaseStatus> read(String sqlState, String message, String detail) {
        if (!MIRROR_READY.equals(sqlState) || message == null || !message.startsWith(IN_RECOVERY) || detail == null) {
            return Optional.empty();
        }
        Matcher replayed = REPLAYED.matcher(detail);
        if (!replayed.find()) {
            return Optional.empty();
        }
        Matcher version = VERSION.matcher(detail);
        int versionNum = version.find() ? Integer.parseInt(version.group(1)) * 10000 + Integer.parseInt(version.group(2)) * 100
                + (version.group(3) == null ? 0 : Integer.parseInt(version.group(3))) : 0;
        return Optional.of(new DatabaseStatus(true, versionNum, OptionalInt.empty(), List.of(), Optional.of(new DatabaseStatus.Receiver(
                Optional.empty(), Optional.of(replayed.group(1)), OptionalLong.empty(), Optional.empty(), OptionalDouble.empty()))));
    }
}
