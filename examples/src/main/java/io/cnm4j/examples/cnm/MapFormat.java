package io.cnm4j.examples.cnm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The formats {@code cnm map} writes: two graph languages, and two images that Graphviz's
 * {@code dot} draws from the DOT text. Rendering the text is pure: the same edges give the same text.
 */
enum MapFormat {
    /** Mermaid flowchart ({@code graph LR}): processes as rectangles, endpoints as rounded boxes. */
    MERMAID(null) {
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
    DOT(null) {
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
    },
    /** SVG, text: the DOT graph drawn by {@code dot -Tsvg}. */
    SVG("svg") {
        @Override
        String render(List<DependencyMap.Edge> edges) {
            return DOT.render(edges);
        }
    },
    /** PNG, binary: the DOT graph drawn by {@code dot -Tpng}. */
    PNG("png") {
        @Override
        String render(List<DependencyMap.Edge> edges) {
            return DOT.render(edges);
        }
    };

    private final String graphvizType;

    MapFormat(String graphvizType) {
        this.graphvizType = graphvizType;
    }

    /**
     * The graph's text for these edges, in their order: Mermaid for {@link #MERMAID}, else DOT
     * (which Graphviz draws as the image of {@link #SVG} and {@link #PNG}).
     */
    abstract String render(List<DependencyMap.Edge> edges);

    /** Graphviz's output type ({@code dot -T<type>}) for images; empty when the text is the output. */
    Optional<String> graphvizType() {
        return Optional.ofNullable(graphvizType);
    }

    /** True when the output is not text, so it cannot go to a terminal: PNG. */
    boolean binary() {
        return this == PNG;
    }

    /** The name {@code --format} takes for this format, such as {@code svg}. */
    String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format named {@code mermaid}, {@code dot}, {@code svg} or {@code png} (case-insensitive). */
    static MapFormat byName(String name) throws UsageException {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "mermaid" -> MERMAID;
            case "dot" -> DOT;
            case "svg" -> SVG;
            case "png" -> PNG;
            default -> throw new UsageException(UsageException.Problem.BAD_VALUE, "--format",
                    "--format takes mermaid, dot, svg or png, not '" + name + "'");
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

    /**
     * Mermaid has no backslash escapes inside quoted labels; it takes HTML entity codes. Control
     * characters become visible escapes ({@link TerminalText}), which Mermaid shows as typed.
     */
    private static String mermaidText(String text) {
        return TerminalText.escape(text).replace("\"", "#quot;");
    }

    /**
     * DOT takes backslash escapes in quoted labels, so every backslash, the text's own and those of
     * visible escapes, is doubled: a control character reaches the drawing (and an SVG, where XML
     * forbids most of them) as the four characters {@code \x1b}.
     */
    private static String dotText(String text) {
        return TerminalText.escape(text).replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
