package io.intercommigrator.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The download guards of export-formats.md, against a file server on 127.0.0.1. */
class AttachmentSourceTest {
    @TempDir
    Path work;
    private LocalFileServer files;

    @BeforeEach
    void start() throws Exception {
        files = new LocalFileServer().put("a.txt", "hello".getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        files.close();
    }

    /** 127.0.0.1 stands in for a public host; every other address is judged as usual. */
    private AttachmentSource trustingOnly127001(AttachmentPolicy policy) {
        return new AttachmentSource(new ShippedAttachments(work.resolve("inbox")), policy, work.resolve("dl"), false,
                a -> a.getHostAddress().equals("127.0.0.1") ? null : HostGuard.refusal(a));
    }

    @Test
    void aRedirectIsCheckedAgainAndOneToAPrivateHostIsRefused() {
        AttachmentSource source = trustingOnly127001(AttachmentPolicy.defaults());
        Object followed = source.resolve(files.url("/redirect/2/a.txt"));
        assertThat(followed).isInstanceOf(AttachmentSource.Copyable.class);

        Object refused = source.resolve(files.url("/to?url=" + java.net.URLEncoder.encode("http://127.0.0.2:" + files.port()
                + "/files/a.txt", StandardCharsets.UTF_8)));

        assertThat(refused).isInstanceOfSatisfying(AttachmentSource.Kept.class,
                k -> assertThat(k.reason()).contains("127.0.0.2").contains("refused").contains("loopback"));
        assertThat(source.resolve(files.url("/to?url=file:///etc/passwd"))).isInstanceOfSatisfying(AttachmentSource.Kept.class,
                k -> assertThat(k.reason()).contains("not http(s)"));
    }

    @Test
    void atMostThreeRedirects() {
        AttachmentSource source = trustingOnly127001(AttachmentPolicy.defaults());
        assertThat(source.resolve(files.url("/redirect/3/a.txt"))).isInstanceOf(AttachmentSource.Copyable.class);
        assertThat(source.resolve(files.url("/redirect/4/a.txt"))).isInstanceOfSatisfying(AttachmentSource.Kept.class,
                k -> assertThat(k.reason()).contains("more than 3 redirects"));
    }

    @Test
    void theDefaultGuardRefusesLoopbackPrivateLinkLocalMulticastAndTheirIpv6Forms() throws Exception {
        for (String address : new String[] {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "224.0.0.1",
                "0.0.0.0", "100.64.0.1", "::1", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1",
                "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1"}) {
            assertThat(HostGuard.refusal(InetAddress.getByName(address))).as(address).isNotNull();
        }
        for (String address : new String[] {"93.184.216.34", "8.8.8.8", "2606:2800:220:1:248:1893:25c8:1946"}) {
            assertThat(HostGuard.refusal(InetAddress.getByName(address))).as(address).isNull();
        }
    }

    @Test
    void theDownloadIsKeptOnDiskAndReleasedAfterwards() throws Exception {
        AttachmentSource source = trustingOnly127001(AttachmentPolicy.defaults());
        AttachmentSource.Copyable c = (AttachmentSource.Copyable) source.resolve(files.url("/files/a.txt"));
        assertThat(Files.readString(c.file())).isEqualTo("hello");
        assertThat(c.size()).isEqualTo(5);
        source.release(c);
        assertThat(c.file()).doesNotExist();
    }

    @Test
    void aShippedFileIsFoundByTheUrlsDecodedLastSegmentAndTheBestMatchingFolder() throws Exception {
        Path one = work.resolve("inbox/clickdesk/attachments/2024/Invoice 12.pdf");
        Path two = work.resolve("inbox/clickdesk/attachments/files/u7/Invoice 12.pdf");
        Files.createDirectories(one.getParent());
        Files.createDirectories(two.getParent());
        Files.writeString(one, "one");
        Files.writeString(two, "two");
        ShippedAttachments shipped = new ShippedAttachments(work.resolve("inbox"));

        assertThat(shipped.find("https://cdn.example/files/u7/Invoice%2012.pdf")).contains(two);
        assertThat(shipped.find("https://cdn.example/x/Invoice%2012.pdf")).isPresent();
        assertThat(shipped.find("https://cdn.example/x/Invoice.pdf")).isEmpty();
    }
}
