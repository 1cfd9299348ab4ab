package org.mirrorswarm.engine.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;

/** A YAML value that remembers where it was written, so that every error can say where. */
public abstract sealed class Node permits Node.Map, Node.List, Node.Scalar {

    /** A position in a file, or a description such as {@code --set clients.count}. */
    public record Where(String file, int line, int column) {
        /** A place that is not a file position. */
        public static Where of(String description) {
            return new Where(description, 0, 0);
        }

        @Override
        public String toString() {
            return line > 0 ? file + ":" + line + ":" + column : file;
        }
    }

    final Where where;

    Node(Where where) {
        this.where = where;
    }

    public Where where() {
        return where;
    }

    /** A deep copy, so that sweep points and overrides never share structure. */
    abstract Node copy();

    /** What the node is, for messages: "a map", "a list", "a number"… */
    abstract String kind();

    /** A mapping with its keys in file order. */
    public static final class Map extends Node {
        final LinkedHashMap<String, Node> entries = new LinkedHashMap<>();
        final LinkedHashMap<String, Where> keyWhere = new LinkedHashMap<>();

        Map(Where where) {
            super(where);
        }

        public Node get(String key) {
            return entries.get(key);
        }

        public java.util.Set<String> keys() {
            return entries.keySet();
        }

        Where keyWhere(String key) {
            return keyWhere.getOrDefault(key, where);
        }

        void put(String key, Where at, Node value) {
            entries.put(key, value);
            keyWhere.put(key, at);
        }

        @Override
        Map copy() {
            Map m = new Map(where);
            for (java.util.Map.Entry<String, Node> e : entries.entrySet()) {
                m.put(e.getKey(), keyWhere.get(e.getKey()), e.getValue().copy());
            }
            return m;
        }

        @Override
        String kind() {
            return "a map";
        }
    }

    /** A sequence. */
    public static final class List extends Node {
        final ArrayList<Node> items = new ArrayList<>();

        List(Where where) {
            super(where);
        }

        public java.util.List<Node> items() {
            return items;
        }

        @Override
        List copy() {
            List l = new List(where);
            for (Node n : items) {
                l.items.add(n.copy());
            }
            return l;
        }

        @Override
        String kind() {
            return "a list";
        }
    }

    /** A number (Long or Double), a boolean, a string, or null. */
    public static final class Scalar extends Node {
        final Object value;

        Scalar(Where where, Object value) {
            super(where);
            this.value = value;
        }

        @Override
        Scalar copy() {
            return new Scalar(where, value);
        }

        public Object value() {
            return value;
        }

        @Override
        String kind() {
            if (value == null) {
                return "nothing (null)";
            }
            if (value instanceof Number || value instanceof Boolean) {
                return String.valueOf(value);
            }
            String t = String.valueOf(value);
            return "'" + (t.length() > 40 ? t.substring(0, 40) + "…" : t) + "'";
        }
    }

    /** The node as plain Java values (maps, lists, scalars), for writing YAML back out. */
    public static Object plain(Node n) {
        if (n instanceof Map m) {
            java.util.Map<String, Object> out = new LinkedHashMap<>();
            m.entries.forEach((k, v) -> out.put(k, plain(v)));
            return out;
        }
        if (n instanceof List l) {
            java.util.List<Object> out = new ArrayList<>();
            l.items.forEach(v -> out.add(plain(v)));
            return out;
        }
        return ((Scalar) n).value;
    }
}
