package dev.mfrecs.evaluation;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 field splitting for one line (quoted fields, doubled quotes); the Online Retail file quotes descriptions. */
public final class Csv {

    private Csv() {}

    /** Splits one line into its fields, unquoting quoted fields. */
    public static List<String> split(String line) {
        List<String> out = new ArrayList<>(8);
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
