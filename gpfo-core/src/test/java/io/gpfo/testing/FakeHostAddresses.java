package io.gpfo.testing;

import io.gpfo.config.GpfoConfig;
import io.gpfo.vip.HostAddresses;
import io.gpfo.vip.InterfaceAddress;
import java.util.ArrayList;
import java.util.List;

/** This host's addresses: its own on the VIP's interface, and the VIP while it holds it. */
public final class FakeHostAddresses implements HostAddresses {

    private final GpfoConfig.Vip vip;
    private volatile boolean holdsVip;

    public FakeHostAddresses(GpfoConfig.Vip vip) {
        this.vip = vip;
    }

    public void holdVip(boolean holds) {
        this.holdsVip = holds;
    }

    public boolean holdsVip() {
        return holdsVip;
    }

    @Override
    public List<InterfaceAddress> list() {
        List<InterfaceAddress> addresses = new ArrayList<>(List.of(new InterfaceAddress(vip.interfaceName(), "10.77.0.12", vip.prefix(),
                vip.interfaceName())));
        if (holdsVip) {
            addresses.add(new InterfaceAddress(vip.interfaceName(), vip.address().toString(), vip.prefix(), vip.label()));
        }
        return addresses;
    }
}
