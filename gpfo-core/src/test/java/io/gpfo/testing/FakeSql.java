package io.gpfo.testing;

import io.gpfo.sql.CoordinatorSql;
import io.gpfo.sql.DatabaseStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link CoordinatorSql} that answers per host as told: a status, no connection, or a hang
 * until a {@link Gate} opens. A host it was told nothing about does not answer.
 */
public final class FakeSql implements CoordinatorSql {

    /** One host's answer to a status query. */
    @FunctionalInterface
    public interface Answer {
        DatabaseStatus status() throws SqlUnavailable;
    }

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, Long> databaseBytes = new ConcurrentHashMap<>();

    /** The size of the host's databases, as {@code sum(pg_database_size(oid))} would say. */
    public FakeSql databaseBytes(String host, long bytes) {
        databaseBytes.put(host, bytes);
        return this;
    }

    public FakeSql answers(String host, DatabaseStatus status) {
        answers.put(host, () -> status);
        return this;
    }

    public FakeSql down(String host) {
        answers.put(host, () -> {
            throw new SqlUnavailable("connection to " + host + " refused", null);
        });
        return this;
    }

    /**
     * The host's database hangs until {@code gate} opens, then answers {@code status}: a caller that
     * waited for it instead of giving up at its deadline would see the answer.
     */
    public FakeSql hangs(String host, Gate gate, DatabaseStatus status) {
        answers.put(host, () -> {
            gate.pass();
            return status;
        });
        return this;
    }

    @Override
    public boolean answers(String host, int port, Duration timeout) {
        try {
            status(host, port, timeout);
            return true;
        } catch (SqlUnavailable e) {
            return false;
        }
    }

    @Override
    public DatabaseStatus status(String host, int port, Duration timeout) throws SqlUnavailable {
        Answer answer = answers.get(host);
        if (answer == null) {
            throw new SqlUnavailable("no database on " + host + " in this test", null);
        }
        return answer.status();
    }

    @Override
    public long databaseBytes(String host, int port, Duration timeout) throws SqlUnavailable {
        status(host, port, timeout);
        Long bytes = databaseBytes.get(host);
        if (bytes == null) {
            throw new SqlUnavailable("no database size for " + host + " in this test", null);
        }
        return bytes;
    }
}
