package org.mirrorswarm.live.metalink;

import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.mirrorswarm.strategies.Digest;

/**
 * Writes Metalink v4 (RFC 5854): per file its size, whole-file hashes, piece hashes and URLs in priority
 * order; {@code published} and, when given, mirrorswarm's {@code expires} extension element.
 */
public final class MetalinkWriter {
    private MetalinkWriter() {
    }

    /** The document for {@code files}; {@code published} and {@code expires} may be null. */
    public static String write(List<MetalinkFile> files, Instant published, Instant expires, String generator) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            w.setDefaultNamespace(MetalinkReader.V4_NS);
            w.writeStartElement(MetalinkReader.V4_NS, "metalink");
            w.writeDefaultNamespace(MetalinkReader.V4_NS);
            if (expires != null) {
                w.writeNamespace("ms", MetalinkReader.MIRRORSWARM_NS);
            }
            if (generator != null) {
                element(w, 1, "generator", generator);
            }
            if (published != null) {
                element(w, 1, "published", published.truncatedTo(ChronoUnit.SECONDS).toString());
            }
            if (expires != null) {
                indent(w, 1);
                w.writeStartElement("ms", "expires", MetalinkReader.MIRRORSWARM_NS);
                w.writeCharacters(expires.truncatedTo(ChronoUnit.SECONDS).toString());
                w.writeEndElement();
            }
            for (MetalinkFile f : files) {
                indent(w, 1);
                w.writeStartElement(MetalinkReader.V4_NS, "file");
                w.writeAttribute("name", f.name());
                if (f.size() >= 0) {
                    element(w, 2, "size", Long.toString(f.size()));
                }
                for (Digest d : f.hashes().values().stream()
                        .sorted((a, b) -> b.algorithm().compareTo(a.algorithm())).toList()) {
                    indent(w, 2);
                    w.writeStartElement(MetalinkReader.V4_NS, "hash");
                    w.writeAttribute("type", d.algorithm().metalinkName());
                    w.writeCharacters(d.hex());
                    w.writeEndElement();
                }
                if (f.pieces() != null) {
                    indent(w, 2);
                    w.writeStartElement(MetalinkReader.V4_NS, "pieces");
                    w.writeAttribute("length", Integer.toString(f.pieces().length()));
                    w.writeAttribute("type", f.pieces().type().metalinkName());
                    for (Digest d : f.pieces().hashes()) {
                        element(w, 3, "hash", d.hex());
                    }
                    indent(w, 2);
                    w.writeEndElement();
                }
                for (MetalinkUrl u : f.urls()) {
                    indent(w, 2);
                    w.writeStartElement(MetalinkReader.V4_NS, "url");
                    w.writeAttribute("priority", Integer.toString(u.priority()));
                    if (!u.location().isEmpty()) {
                        w.writeAttribute("location", u.location());
                    }
                    w.writeCharacters(u.url());
                    w.writeEndElement();
                }
                indent(w, 1);
                w.writeEndElement();
            }
            w.writeCharacters("\n");
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing a Metalink to memory failed", e);
        }
        return out.toString();
    }

    private static void element(XMLStreamWriter w, int depth, String name, String text) throws XMLStreamException {
        indent(w, depth);
        w.writeStartElement(MetalinkReader.V4_NS, name);
        w.writeCharacters(text);
        w.writeEndElement();
    }

    private static void indent(XMLStreamWriter w, int depth) throws XMLStreamException {
        w.writeCharacters("\n" + "  ".repeat(depth));
    }
}
