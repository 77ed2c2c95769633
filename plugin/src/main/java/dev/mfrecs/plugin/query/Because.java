package dev.mfrecs.plugin.query;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.apache.lucene.search.Explanation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Why an item was recommended, for any item at once: one vector {@code u_j} per history item (or query item of {@code mf_similar})
 * such that item {@code i}'s score splits into {@code y_i . u_j} per history item, plus the item's bias for explicit models (Hu,
 * Koren and Volinsky 2008, section 5; the same decomposition {@code _explain} computes for one item). Computed once on the
 * coordinating node, then sent to the shards, which multiply it with each hit's item vector ({@code vector}, normalized first when
 * {@code cosine}) to list the top {@code n} contributors.
 */
public record Because(List<String> items, float[] vectors, int dims, int n, boolean cosine, boolean bias) implements Writeable {

    public Because {
        items = List.copyOf(items);
        if (vectors.length != items.size() * dims) {
            throw new IllegalArgumentException("[because] [" + items.size() + "] items of [" + dims + "] dims but [" + vectors.length
                + "] floats");
        }
    }

    public Because(StreamInput in) throws IOException {
        this(in.readStringCollectionAsImmutableList(), in.readFloatArray(), in.readVInt(), in.readVInt(), in.readBoolean(),
            in.readBoolean());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeStringCollection(items);
        out.writeFloatArray(vectors);
        out.writeVInt(dims);
        out.writeVInt(n);
        out.writeBoolean(cosine);
        out.writeBoolean(bias);
    }

    /** One history item's share of an item's score. */
    public record Contribution(String item, float contribution) {}

    /** The contributions to the item with vector {@code y} (as published), largest first, all of them; null for a wrong-sized vector. */
    List<Contribution> all(float[] y) {
        if (y == null || y.length != dims) {
            return null;
        }
        float scale = 1f;
        if (cosine) {
            double norm = 0;
            for (float f : y) {
                norm += (double) f * f;
            }
            scale = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0f;
        }
        int h = items.size();
        float[] c = new float[h];
        for (int j = 0; j < h; j++) {
            float s = 0;
            for (int i = 0; i < dims; i++) {
                s += vectors[j * dims + i] * y[i];
            }
            c[j] = s * scale;
        }
        Integer[] order = new Integer[h];
        for (int j = 0; j < h; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> c[a] != c[b] ? Float.compare(c[b], c[a]) : Integer.compare(a, b));
        List<Contribution> out = new ArrayList<>(h);
        for (int j = 0; j < h; j++) {
            out.add(new Contribution(items.get(order[j]), c[order[j]]));
        }
        return out;
    }

    /** The top {@code n} contributions to the item with vector {@code y}; empty for a wrong-sized vector. */
    List<Contribution> top(float[] y) {
        List<Contribution> all = all(y);
        return all == null ? List.of() : all.subList(0, Math.min(n, all.size()));
    }

    /** The decomposition as a Lucene explanation detail: the top {@code n}, the rest summed, and the bias. */
    Explanation explain(float[] y) {
        List<Contribution> all = all(y);
        if (all == null) {
            return Explanation.noMatch("because: the hit has no item vector of the model's [" + dims + "] dims");
        }
        List<Explanation> details = new ArrayList<>();
        double sum = 0;
        double rest = 0;
        for (int j = 0; j < all.size(); j++) {
            Contribution c = all.get(j);
            sum += c.contribution();
            if (j < n) {
                details.add(Explanation.match(c.contribution(), "history item [" + c.item() + "]"));
            } else {
                rest += c.contribution();
            }
        }
        if (all.size() > n) {
            details.add(Explanation.match((float) rest, "the other [" + (all.size() - n) + "] history items"));
        }
        if (bias) {
            details.add(Explanation.match(y[dims - 1], "the item's bias"));
            sum += y[dims - 1];
        }
        String what = cosine ? "cosine of the query items' mean and the item, split by query item"
            : "dot product of the user and item vectors, split by history item (Hu, Koren and Volinsky 2008, section 5)";
        return Explanation.match((float) sum, "because: " + what, details);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Because b && items.equals(b.items) && Arrays.equals(vectors, b.vectors) && dims == b.dims && n == b.n
            && cosine == b.cosine && bias == b.bias;
    }

    @Override
    public int hashCode() {
        return Objects.hash(items, Arrays.hashCode(vectors), dims, n, cosine, bias);
    }

    @Override
    public String toString() {
        return "Because[" + items.size() + " items, top " + n + "]";
    }
}
