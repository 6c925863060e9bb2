package io.gpfo.vip;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One IPv4 address as {@code ip -o -4 addr show} lists it: device, address, prefix and label. */
public record InterfaceAddress(String device, String address, int prefix, String label) {

    // "2: eth0    inet 10.77.0.100/24 brd 10.77.0.255 scope global secondary eth0:0\       valid_lft forever …"
    private static final Pattern LINE = Pattern.compile(
            "^\\d+:\\s+(\\S+?)(?:@\\S+)?\\s+inet\\s+(\\d+\\.\\d+\\.\\d+\\.\\d+)/(\\d+)\\b(.*?)(?:\\\\|$)");

    public static List<InterfaceAddress> parse(String ipOutput) {
        List<InterfaceAddress> addresses = new ArrayList<>();
        for (String line : ipOutput.lines().toList()) {
            Matcher matcher = LINE.matcher(line);
            if (!matcher.find()) {
                continue;
            }
            String[] rest = matcher.group(4).strip().split("\\s+");
            String label = rest.length > 0 && !rest[rest.length - 1].isEmpty() ? rest[rest.length - 1] : matcher.group(1);
            // "scope global dynamic noprefixroute eth0": the last word is the label only if it names the device
            if (!label.equals(matcher.group(1)) && !label.startsWith(matcher.group(1) + ":")) {
                label = matcher.group(1);
            }
            addresses.add(new InterfaceAddress(matcher.group(1), matcher.group(2), Integer.parseInt(matcher.group(3)), label));
        }
        return addresses;
    }
}
