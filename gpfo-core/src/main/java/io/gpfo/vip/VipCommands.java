package io.gpfo.vip;

import io.gpfo.config.GpfoConfig;
import java.util.List;

/**
 * The exact argv of every VIP command (docs/design.md §5), in one place: the executor runs them and
 * the installer's sudoers rule allows exactly these, so the two can never drift apart.
 */
public final class VipCommands {

    private final GpfoConfig.Vip vip;
    private final String ip;
    private final String arping;

    public VipCommands(GpfoConfig.Vip vip, String ip, String arping) {
        this.vip = vip;
        this.ip = ip;
        this.arping = arping;
    }

    public static VipCommands standard(GpfoConfig.Vip vip) {
        return new VipCommands(vip, "/usr/sbin/ip", "/usr/sbin/arping");
    }

    /** How many gratuitous ARPs announce the VIP ({@code vip.arp_count}). */
    public int arpCount() {
        return vip.arpCount();
    }

    public List<String> add() {
        return List.of(ip, "addr", "add", vip.cidr(), "dev", vip.interfaceName(), "label", vip.label());
    }

    public List<String> delete() {
        return List.of(ip, "addr", "del", vip.cidr(), "dev", vip.interfaceName());
    }

    public List<String> show() {
        return List.of(ip, "-o", "-4", "addr", "show", "dev", vip.interfaceName());
    }

    /** Gratuitous ARP: tells the switch and every neighbour the VIP's new MAC; {@code vip.arp_count} of them, 1 s apart. */
    public List<String> announce() {
        return announce(vip.arpCount());
    }

    /** One gratuitous ARP: the agent sends {@code vip.arp_count} of these in the background (VipControl#announceInBackground). */
    public List<String> announceOnce() {
        return announce(1);
    }

    private List<String> announce(int count) {
        String address = vip.address().toString();
        return List.of(arping, "-U", "-c", Integer.toString(count), "-I", vip.interfaceName(), "-s", address, address);
    }

    /** Duplicate address detection: does anyone on the wire already answer for the VIP? */
    public List<String> duplicateCheck() {
        return List.of(arping, "-D", "-c", "1", "-w", "1", "-I", vip.interfaceName(), vip.address().toString());
    }

    /** Whether an {@code ip -o -4 addr show} listing holds the VIP. */
    public boolean holds(String ipOutput) {
        return holds(InterfaceAddress.parse(ipOutput));
    }

    /** Whether the VIP is among these addresses, on the configured interface. */
    public boolean holds(List<InterfaceAddress> addresses) {
        String address = vip.address().toString();
        return addresses.stream().anyMatch(entry -> entry.address().equals(address) && entry.device().equals(vip.interfaceName()));
    }
}
