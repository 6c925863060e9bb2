package io.gpfo.install;

import io.gpfo.config.GpfoConfig;
import io.gpfo.node.NodeAccess;
import io.gpfo.port.StepLog;
import io.gpfo.sql.CoordinatorSql;
import io.gpfo.vip.VipControl;
import java.time.Duration;

/**
 * What install and uninstall reach the two hosts through, wired by the caller for this host of
 * this cluster.
 *
 * @param sqlTimeout how long the database's answer is waited for
 * @param log        where every precondition and step reports its line
 * @param tree       how the distribution's tree is read, to check that only root can change it
 */
public record InstallPorts(NodeAccess access, CoordinatorSql sql, Duration sqlTimeout, VipControl vip, StepLog log,
        DistributionTree tree) {

    public GpfoConfig config() {
        return access.config();
    }

    /** This host's configured name. */
    public String here() {
        return access.host(access.local());
    }

    /** The other coordinator host's configured name. */
    public String peer() {
        return access.host(access.local().peer());
    }
}
