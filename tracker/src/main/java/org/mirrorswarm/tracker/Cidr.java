package org.mirrorswarm.tracker;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 address block, like {@code 10.0.0.0/8} or {@code 2001:db8::/32}. */
public record Cidr(byte[] network, int bits) {
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("expected ADDRESS/BITS, got '" + text + "'");
        }
        String addr = text.substring(0, slash);
        if (!addr.matches("[0-9A-Fa-f.:]+")) {
            throw new IllegalArgumentException("not an IP address: '" + addr + "'");
        }
        byte[] a;
        try {
            a = InetAddress.getByName(addr).getAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + addr + "'");
        }
        int bits;
        try {
            bits = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            bits = -1;
        }
        if (bits < 0 || bits > a.length * 8) {
            throw new IllegalArgumentException("prefix length 0–" + a.length * 8 + ", got '" + text.substring(slash + 1) + "'");
        }
        return new Cidr(a, bits);
    }

    public boolean contains(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length != network.length) {
            return false;
        }
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (b[i] != network[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (b[full] & mask) == (network[full] & mask);
    }
}
