package io.cnm4j.examples.cnm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The graph languages {@code cnm map} writes. Rendering is pure: the same edges give the same text. */
enum MapFormat {
    /** Mermaid flowchart ({@code graph LR}): processes as rectangles, endpoints as rounded boxes. */
    MERMAID {
        @Override
        String render(List<DependencyMap.Edge> edges) {
            Map<DependencyMap.Node, String> ids = ids(edges);
            StringBuilder out = new StringBuilder("graph LR\n");
            ids.forEach((node, id) -> {
                String label = mermaidText(node.label());
                out.append("  ").append(id).append(node.kind() == DependencyMap.NodeKind.PROCESS
                        ? "[\"" + label + "\"]" : "(\"" + label + "\")").append('\n');
            });
            for (DependencyMap.Edge e : edges) {
                out.append("  ").append(ids.get(e.from())).append(" -->|\"").append(label(e)).append("\"| ")
                        .append(ids.get(e.to())).append('\n');
            }
            return out.toString();
        }
    },
    /** Graphviz DOT digraph, left to right: processes as boxes, endpoints as ellipses. */
    DOT {
        @Override
        String render(List<DependencyMap.Edge> edges) {
            Map<DependencyMap.Node, String> ids = ids(edges);
            StringBuilder out = new StringBuilder("digraph cnm {\n  rankdir=LR;\n");
            ids.forEach((node, id) -> out.append("  ").append(id).append(" [label=\"").append(dotText(node.label()))
                    .append("\", shape=").append(node.kind() == DependencyMap.NodeKind.PROCESS ? "box" : "ellipse")
                    .append("];\n"));
            for (DependencyMap.Edge e : edges) {
                out.append("  ").append(ids.get(e.from())).append(" -> ").append(ids.get(e.to()))
                        .append(" [label=\"").append(label(e)).append("\"];\n");
            }
            return out.append("}\n").toString();
        }
    };

    /** The graph's text for these edges, in their order. */
    abstract String render(List<DependencyMap.Edge> edges);

    /** The format named {@code mermaid} or {@code dot} (case-insensitive). */
    static MapFormat byName(String name) throws UsageException {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "mermaid" -> MERMAID;
            case "dot" -> DOT;
            default -> throw new UsageException(UsageException.Problem.BAD_VALUE, "--format",
                    "--format takes mermaid or dot, not '" + name + "'");
        };
    }

    /** Node ids n1, n2… in order of first appearance in the edges. */
    private static Map<DependencyMap.Node, String> ids(List<DependencyMap.Edge> edges) {
        Map<DependencyMap.Node, String> ids = new LinkedHashMap<>();
        for (DependencyMap.Edge e : edges) {
            ids.computeIfAbsent(e.from(), n -> "n" + (ids.size() + 1));
            ids.computeIfAbsent(e.to(), n -> "n" + (ids.size() + 1));
        }
        return ids;
    }

    private static String label(DependencyMap.Edge e) {
        return e.connections() + (e.connections() == 1 ? " conn, " : " conns, ") + Units.bytes(e.bytes());
    }

    /** Mermaid has no backslash escapes inside quoted labels; it takes HTML entity codes. */
    private static String mermaidText(String text) {
        return text.replaceAll("\\p{Cntrl}", " ").replace("\"", "#quot;");
    }

    private static String dotText(String text) {
        return text.replaceAll("\\p{Cntrl}", " ").replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
