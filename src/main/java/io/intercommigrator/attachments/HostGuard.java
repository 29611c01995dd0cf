package io.intercommigrator.attachments;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which addresses an export may make the migrator download from: public ones only. Loopback, private, link-local,
 * multicast, unspecified, carrier-grade NAT, benchmark and reserved IPv4 ranges are refused, as are their IPv6 forms
 * (::1, fc00::/7, fe80::/10, fec0::/10, ff00::/8) and IPv6 addresses that embed an IPv4 one (IPv4-mapped or
 * -compatible, NAT64 64:ff9b::/96, 6to4 2002::/16), which are judged by the IPv4 address inside.
 */
public final class HostGuard {
    private HostGuard() {
    }

    /** Why the address is refused, or null when it is a public one. */
    public static String refusal(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            Inet4Address embedded = embeddedIpv4(b);
            if (embedded != null) {
                String inner = refusal(embedded);
                return inner == null ? null : inner + " (inside " + v6.getHostAddress() + ")";
            }
            if (v6.isLoopbackAddress() || v6.isAnyLocalAddress()) {
                return "loopback address " + v6.getHostAddress();
            }
            if (v6.isLinkLocalAddress() || (b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80) {
                return "link-local address " + v6.getHostAddress();
            }
            if (v6.isSiteLocalAddress() || (b[0] & 0xfe) == 0xfc) {
                return "private address " + v6.getHostAddress();
            }
            if (v6.isMulticastAddress()) {
                return "multicast address " + v6.getHostAddress();
            }
            return null;
        }
        byte[] b = address.getAddress();
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        if (address.isLoopbackAddress() || a0 == 127) {
            return "loopback address " + address.getHostAddress();
        }
        if (address.isAnyLocalAddress() || a0 == 0) {
            return "unspecified address " + address.getHostAddress();
        }
        if (address.isLinkLocalAddress() || a0 == 169 && a1 == 254) {
            return "link-local address " + address.getHostAddress();
        }
        if (address.isSiteLocalAddress() || a0 == 10 || a0 == 172 && (a1 & 0xf0) == 16 || a0 == 192 && a1 == 168) {
            return "private address " + address.getHostAddress();
        }
        if (address.isMulticastAddress() || a0 >= 224) {
            return (a0 < 240 ? "multicast" : "reserved") + " address " + address.getHostAddress();
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return "carrier-grade NAT address " + address.getHostAddress();
        }
        if (a0 == 198 && (a1 & 0xfe) == 18 || a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0) {
            return "reserved address " + address.getHostAddress();
        }
        return null;
    }

    private static Inet4Address embeddedIpv4(byte[] b) {
        boolean zeros80 = true;
        for (int i = 0; i < 10; i++) {
            zeros80 &= b[i] == 0;
        }
        boolean mapped = zeros80 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zeros80 && b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] & 0xfe) == 0);
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        if (mapped || compatible || nat64) {
            return v4(b[12], b[13], b[14], b[15]);
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return v4(b[2], b[3], b[4], b[5]); // 6to4
        }
        return null;
    }

    private static Inet4Address v4(byte a, byte b, byte c, byte d) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {a, b, c, d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
