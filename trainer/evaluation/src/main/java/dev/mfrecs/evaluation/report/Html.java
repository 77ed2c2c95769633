package dev.mfrecs.evaluation.report;

import java.util.Locale;

/** HTML escaping and number formatting for the report page, so every value that reaches the page goes through one place. */
public final class Html {

    private Html() {}

    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int j = 0; j < s.length(); j++) {
            char c = s.charAt(j);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    public static String num(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
