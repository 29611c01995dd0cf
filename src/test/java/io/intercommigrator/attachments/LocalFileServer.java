package io.intercommigrator.attachments;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A small file server on 127.0.0.1 for download tests: {@code /files/<name>} answers the bytes put there,
 * {@code /redirect/<n>/<name>} redirects n times and then to the file, {@code /to?url=…} redirects to any URL,
 * {@code /slow/<name>} waits before answering; anything else is a 404. Counts every request it gets.
 */
public final class LocalFileServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    public LocalFileServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            String path = ex.getRequestURI().getPath();
            try (ex) {
                if (path.startsWith("/redirect/")) {
                    String[] p = path.split("/", 4);
                    int n = Integer.parseInt(p[2]);
                    ex.getResponseHeaders().set("Location", n <= 1 ? "/files/" + p[3] : "/redirect/" + (n - 1) + "/" + p[3]);
                    ex.sendResponseHeaders(302, -1);
                    return;
                }
                if (path.equals("/to")) {
                    ex.getResponseHeaders().set("Location", java.net.URLDecoder.decode(ex.getRequestURI().getRawQuery()
                            .substring(4), java.nio.charset.StandardCharsets.UTF_8));
                    ex.sendResponseHeaders(302, -1);
                    return;
                }
                String name = path.startsWith("/slow/") ? path.substring(6) : path.startsWith("/files/") ? path.substring(7) : null;
                byte[] bytes = name == null ? null : files.get(name);
                if (bytes == null) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                if (path.startsWith("/slow/")) {
                    ex.sendResponseHeaders(200, bytes.length);
                    try {
                        Thread.sleep(3_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    ex.getResponseBody().write(bytes);
                    return;
                }
                ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
                ex.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            } catch (IOException e) {
                // the client gave up (a timeout test)
            }
        });
        server.start();
    }

    public LocalFileServer put(String name, byte[] bytes) {
        files.put(name, bytes);
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** http://127.0.0.1:port + path */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
