package fr.gardien.gateway.ticketing.connector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Small walks over JSON trees made of maps, lists, texts, numbers, booleans and nulls. */
final class JsonTrees {

    private JsonTrees() {
    }

    /** A deep, unmodifiable copy; refuses anything that is not JSON. */
    static Object immutableCopy(Object node) {
        if (node == null || node instanceof String || node instanceof Number || node instanceof Boolean) {
            return node;
        }
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), immutableCopy(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (node instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(immutableCopy(v)));
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException("not a JSON value: " + node.getClass().getSimpleName());
    }

    static void texts(Object node, Consumer<String> visitor) {
        if (node instanceof String s) {
            visitor.accept(s);
        } else if (node instanceof Map<?, ?> map) {
            map.values().forEach(v -> texts(v, visitor));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> texts(v, visitor));
        }
    }

    /** A mutable copy with every text replaced by {@code render}'s value (which may be any JSON value). */
    static Object mapTexts(Object node, java.util.function.Function<String, Object> render) {
        if (node instanceof String s) {
            return render.apply(s);
        }
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), mapTexts(v, render)));
            return copy;
        }
        if (node instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(mapTexts(v, render)));
            return copy;
        }
        return node;
    }

}
