package dev.mfrecs.evaluation;

import java.util.Locale;
import java.util.Map;

/**
 * A coarse product category for the Online Retail catalog, which has none: the last word of the description (the head noun in
 * most of its descriptions, e.g. "WHITE HANGING HEART T-LIGHT HOLDER") looked up in a small hand-made lexicon. Used only to color
 * the report's item-factor PCA (the country of most sales was the alternative, but 98.8% of the purchased products sell most in the
 * United Kingdom, which would color almost every point alike).
 */
public final class RetailCategory {

    public static final String OTHER = "other";

    private static final Map<String, String> LEXICON = Map.ofEntries(
        Map.entry("NECKLACE", "jewellery"), Map.entry("BRACELET", "jewellery"), Map.entry("EARRINGS", "jewellery"),
        Map.entry("RING", "jewellery"), Map.entry("CHARM", "jewellery"),
        Map.entry("HOLDER", "candles & lights"), Map.entry("CANDLE", "candles & lights"), Map.entry("CANDLES", "candles & lights"),
        Map.entry("LIGHTS", "candles & lights"), Map.entry("LANTERN", "candles & lights"), Map.entry("T-LIGHT", "candles & lights"),
        Map.entry("BOWL", "kitchen"), Map.entry("MUG", "kitchen"), Map.entry("CUP", "kitchen"), Map.entry("PLATE", "kitchen"),
        Map.entry("PLATES", "kitchen"), Map.entry("TEAPOT", "kitchen"), Map.entry("JAR", "kitchen"), Map.entry("SAUCER", "kitchen"),
        Map.entry("CUPS", "kitchen"), Map.entry("NAPKINS", "kitchen"), Map.entry("APRON", "kitchen"),
        Map.entry("BAG", "bags & boxes"), Map.entry("BOX", "bags & boxes"), Map.entry("BOXES", "bags & boxes"),
        Map.entry("TIN", "bags & boxes"), Map.entry("TINS", "bags & boxes"), Map.entry("BASKET", "bags & boxes"),
        Map.entry("CASE", "bags & boxes"), Map.entry("BAGS", "bags & boxes"),
        Map.entry("DECORATION", "decorations"), Map.entry("SIGN", "decorations"), Map.entry("HEART", "decorations"),
        Map.entry("ORNAMENT", "decorations"), Map.entry("WREATH", "decorations"), Map.entry("FRAME", "decorations"),
        Map.entry("CLOCK", "decorations"), Map.entry("BUNTING", "decorations"), Map.entry("DOORSTOP", "decorations"),
        Map.entry("CARD", "paper & cards"), Map.entry("CARDS", "paper & cards"), Map.entry("WRAP", "paper & cards"),
        Map.entry("NOTEBOOK", "paper & cards"), Map.entry("STICKERS", "paper & cards"), Map.entry("PAPER", "paper & cards"),
        Map.entry("NAPKIN", "paper & cards"), Map.entry("ENVELOPES", "paper & cards"));

    private RetailCategory() {}

    /** The category of a description, or {@link #OTHER}. */
    public static String of(String description) {
        String s = description.strip().toUpperCase(Locale.ROOT);
        int space = s.lastIndexOf(' ');
        String last = space < 0 ? s : s.substring(space + 1);
        return LEXICON.getOrDefault(last, OTHER);
    }
}
