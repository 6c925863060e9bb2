package io.gpfo.sql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import org.postgresql.util.PSQLException;

/**
 * {@link CoordinatorSql} over pgjdbc, as the Greenplum admin user (trust, or ~/.pgpass). Every
 * connection has connect, login and socket timeouts, so a hung or unreachable server costs at
 * most the timeout.
 */
public final class JdbcCoordinatorSql implements CoordinatorSql {

    private final String user;
    private final String database;

    /** Loads and registers pgjdbc ahead of the first connection (see Main's warm-up). */
    public static void loadLibrary() {
        try {
            Class.forName("org.postgresql.Driver");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("pgjdbc is missing from the class path", e);
        }
    }

    public JdbcCoordinatorSql(String user, String database) {
        this.user = user;
        this.database = database;
    }

    @Override
    public boolean answers(String host, int port, Duration timeout) {
        try (Connection connection = connect(host, port, timeout); Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("select 1")) {
                return rows.next();
            }
        } catch (SQLException e) {
            return refusedAsStandby(e).isPresent(); // Greenplum 6's standby master answers only by refusing
        }
    }

    @Override
    public DatabaseStatus status(String host, int port, Duration timeout) throws SqlUnavailable {
        try (Connection connection = connect(host, port, timeout); Statement statement = connection.createStatement()) {
            boolean inRecovery;
            int version;
            try (ResultSet rows = statement.executeQuery(
                    "select pg_is_in_recovery(), current_setting('server_version_num')::int")) {
                rows.next();
                inRecovery = rows.getBoolean(1);
                version = rows.getInt(2);
            }
            SqlDialect dialect = SqlDialect.forServerVersion(version);
            OptionalInt timeline = OptionalInt.empty();
            if (dialect.timeline(inRecovery) != null) {
                try (ResultSet rows = statement.executeQuery(dialect.timeline(inRecovery))) {
                    timeline = rows.next() ? OptionalInt.of(rows.getInt(1)) : OptionalInt.empty();
                }
            }
            List<DatabaseStatus.Sender> senders = inRecovery ? List.of() : senders(statement, dialect);
            Optional<DatabaseStatus.Receiver> receiver = inRecovery ? Optional.of(receiver(statement, dialect)) : Optional.empty();
            return new DatabaseStatus(inRecovery, version, timeline, senders, receiver);
        } catch (SQLException e) {
            Optional<DatabaseStatus> standby = refusedAsStandby(e);
            if (standby.isPresent()) {
                return standby.get();
            }
            throw new SqlUnavailable("SQL to " + host + ":" + port + " failed: " + firstLine(e.getMessage()), e);
        }
    }

    /** The status a standby's refusal of the connection tells ({@link StandbyRefusal}), if it was one. */
    private static Optional<DatabaseStatus> refusedAsStandby(SQLException e) {
        return e instanceof PSQLException refused && refused.getServerErrorMessage() != null
                ? StandbyRefusal.read(refused.getSQLState(), refused.getServerErrorMessage().getMessage(),
                        refused.getServerErrorMessage().getDetail())
                : Optional.empty();
    }

    @Override
    public long databaseBytes(String host, int port, Duration timeout) throws SqlUnavailable {
        try (Connection connection = connect(host, port, timeout); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select sum(pg_database_size(oid))::bigint from pg_database")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new SqlUnavailable("SQL to " + host + ":" + port + " failed: " + firstLine(e.getMessage()), e);
        }
    }

    private static List<DatabaseStatus.Sender> senders(Statement statement, SqlDialect dialect) throws SQLException {
        List<DatabaseStatus.Sender> senders = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(dialect.senders())) {
            while (rows.next()) {
                long lag = rows.getLong(4);
                senders.add(new DatabaseStatus.Sender(rows.getString(1), rows.getString(2), rows.getString(3),
                        rows.wasNull() ? -1 : lag));
            }
        }
        return senders;
    }

    private static DatabaseStatus.Receiver receiver(Statement statement, SqlDialect dialect) throws SQLException {
        Optional<String> received;
        Optional<String> replayed;
        OptionalLong lag;
        try (ResultSet rows = statement.executeQuery(dialect.receiver())) {
            rows.next();
            received = Optional.ofNullable(rows.getString(1));
            replayed = Optional.ofNullable(rows.getString(2));
            long value = rows.getLong(3);
            lag = rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
        }
        Optional<String> status = Optional.empty();
        OptionalDouble sinceLastMessage = OptionalDouble.empty();
        if (dialect.receiverActivity() != null) {
            try (ResultSet rows = statement.executeQuery(dialect.receiverActivity())) {
                if (rows.next()) {
                    status = Optional.ofNullable(rows.getString(1));
                    double seconds = rows.getDouble(2);
                    sinceLastMessage = rows.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(seconds);
                }
            }
        }
        return new DatabaseStatus.Receiver(received, replayed, lag, status, sinceLastMessage);
    }

    private Connection connect(String host, int port, Duration timeout) throws SQLException {
        // pgjdbc takes whole seconds; round up so 500ms does not become "no timeout" (0)
        String seconds = Long.toString(Math.max(1, (timeout.toMillis() + 999) / 1000));
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("connectTimeout", seconds);
        properties.setProperty("loginTimeout", seconds);
        properties.setProperty("socketTimeout", Long.toString(Long.parseLong(seconds) + 2));
        properties.setProperty("ApplicationName", "gpfo");
        properties.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, properties);
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
