package org.mirrorswarm.tracker;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.http.content.HttpContent;
import org.eclipse.jetty.http.content.ResourceHttpContentFactory;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;

/** A real static file server (Jetty's ResourceHandler: ranges, Last-Modified) on its own loopback address. */
final class StaticMirror implements AutoCloseable {
    private static final AtomicInteger NEXT = new AtomicInteger(60);
    private final Server server = new Server();
    private final ServerConnector connector;
    final String host;

    StaticMirror(Path root) throws Exception {
        host = "127.0.0." + NEXT.getAndIncrement();
        connector = new ServerConnector(server);
        connector.setHost(InetAddress.getByName(host).getHostAddress());
        connector.setPort(0);
        server.addConnector(connector);
        ResourceHandler files = new ResourceHandler() {
            @Override
            protected HttpContent.Factory newHttpContentFactory(ByteBufferPool.Sized pool) {
                // No content cache: a test changes files under a running mirror.
                return new ResourceHttpContentFactory(getBaseResource(), MimeTypes.DEFAULTS, pool);
            }
        };
        files.setBaseResource(ResourceFactory.of(files).newResource(root));
        files.setDirAllowed(false);
        server.setHandler(files);
        server.start();
    }

    String url() {
        return "http://" + host + ":" + connector.getLocalPort() + "/";
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
