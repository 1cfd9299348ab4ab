package org.mirrorswarm.engine.scenario;

import java.io.Reader;
import java.io.StringReader;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Reads YAML into {@link Node}s with positions (Jackson 3's streaming parser) and writes it back. */
public final class Yaml {
    /** Scenario files are small; this caps a hostile or mistaken input. */
    private static final int MAX_DEPTH = 64;
    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(1 << 20).maxDocumentLength(16L << 20).build())
            .build();

    private Yaml() {
    }

    /** Parses one YAML document; syntax errors become {@link ScenarioException}s with their position. */
    public static Node parse(String file, Reader in) {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), in)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new Node.Map(new Node.Where(file, 1, 1));
            }
            Node n = read(file, p);
            if (p.nextToken() != null) {
                throw new ScenarioException(where(file, p.currentTokenLocation()), "only one YAML document is allowed");
            }
            return n;
        } catch (JacksonException e) {
            TokenStreamLocation loc = e.getLocation();
            String msg = e.getOriginalMessage().lines().findFirst().orElse("invalid YAML");
            throw new ScenarioException(loc == null ? Node.Where.of(file) : where(file, loc), "invalid YAML: " + msg);
        }
    }

    /** Parses a YAML value written on the command line ({@code --set key=value}). */
    public static Node parseValue(String description, String text) {
        Node n = parse(description, new StringReader(text));
        return relocate(n, Node.Where.of(description));
    }

    private static Node relocate(Node n, Node.Where w) {
        if (n instanceof Node.Map m) {
            Node.Map out = new Node.Map(w);
            for (String k : m.keys()) {
                out.put(k, w, relocate(m.get(k), w));
            }
            return out;
        }
        if (n instanceof Node.List l) {
            Node.List out = new Node.List(w);
            for (Node i : l.items) {
                out.items.add(relocate(i, w));
            }
            return out;
        }
        return new Node.Scalar(w, ((Node.Scalar) n).value);
    }

    private static Node read(String file, JsonParser p) {
        Node.Where w = where(file, p.currentTokenLocation());
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Node.Map m = new Node.Map(w);
                while (p.nextToken() != JsonToken.END_OBJECT) {
                    String key = p.currentName();
                    Node.Where kw = where(file, p.currentTokenLocation());
                    if (m.entries.containsKey(key)) {
                        throw new ScenarioException(kw, "'" + key + "' is given twice");
                    }
                    p.nextToken();
                    m.put(key, kw, read(file, p));
                }
                return m;
            }
            case START_ARRAY -> {
                Node.List l = new Node.List(w);
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.items.add(read(file, p));
                }
                return l;
            }
            case VALUE_NUMBER_INT -> {
                try {
                    return new Node.Scalar(w, p.getLongValue());
                } catch (JacksonException e) {
                    throw new ScenarioException(w, "number out of range: " + p.getText());
                }
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Node.Scalar(w, p.getDoubleValue());
            }
            case VALUE_TRUE -> {
                return new Node.Scalar(w, Boolean.TRUE);
            }
            case VALUE_FALSE -> {
                return new Node.Scalar(w, Boolean.FALSE);
            }
            case VALUE_NULL -> {
                return new Node.Scalar(w, null);
            }
            case VALUE_STRING -> {
                return new Node.Scalar(w, p.getText());
            }
            default -> throw new ScenarioException(w, "unsupported YAML content " + t);
        }
    }

    private static Node.Where where(String file, TokenStreamLocation loc) {
        return new Node.Where(file, loc.getLineNr(), loc.getColumnNr());
    }

    /** The node as YAML text. */
    public static String write(Node n) {
        return YAMLMapper.builder()
                .disable(tools.jackson.dataformat.yaml.YAMLWriteFeature.WRITE_DOC_START_MARKER)
                .enable(tools.jackson.dataformat.yaml.YAMLWriteFeature.MINIMIZE_QUOTES)
                .enable(tools.jackson.dataformat.yaml.YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .enable(tools.jackson.dataformat.yaml.YAMLWriteFeature.INDENT_ARRAYS_WITH_INDICATOR)
                .build().writeValueAsString(Node.plain(n));
    }
}
