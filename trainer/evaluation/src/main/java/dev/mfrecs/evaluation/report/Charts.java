package dev.mfrecs.evaluation.report;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import org.apache.batik.svggen.SVGGeneratorContext;
import org.apache.batik.svggen.SVGGraphics2D;
import org.apache.batik.svggen.SVGIDGenerator;
import org.apache.batik.svggen.SVGSyntax;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

/**
 * The report's charts, built with JFreeChart and rendered to inline SVG with Apache Batik's {@code SVGGraphics2D} (Apache-2.0;
 * headless AWT, no image files), so the page stays one self-contained file. (JFreeSVG, used before, is GPL-3.0: not shippable.)
 * Each SVG gets its own id prefix so several charts can share a page without clashing clip ids.
 */
public final class Charts {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** Colorblind-safe categorical palette (Okabe and Ito 2008) plus gray for the last category. */
    static final Color[] PALETTE = { new Color(0xE69F00), new Color(0x56B4E9), new Color(0x009E73), new Color(0xF0E442),
        new Color(0x0072B2), new Color(0xD55E00), new Color(0xCC79A7), new Color(0x000000), new Color(0x999999) };

    private Charts() {}

    /** Grouped bars: one group per model (the map's key order), one bar per metric. */
    public static String metricBars(String id, Map<String, Map<String, Double>> byModel, List<String> metrics, int w, int h) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        for (var e : byModel.entrySet()) {
            for (String m : metrics) {
                ds.addValue(e.getValue().getOrDefault(m, 0.0), m, e.getKey());
            }
        }
        JFreeChart chart = ChartFactory.createBarChart(null, "model", "score", ds, PlotOrientation.VERTICAL, true, false, false);
        styleBars(chart);
        return svg(id, chart, w, h);
    }

    /** A heatmap of {@code values[row][col]} with the numbers written in the cells. */
    public static String heatmap(String id, String title, String xLabel, String[] xTicks, String yLabel, String[] yTicks,
                                 double[][] values, int w, int h) {
        int cells = xTicks.length * yTicks.length;
        double[][] series = new double[3][cells];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int c = 0;
        for (int y = 0; y < yTicks.length; y++) {
            for (int x = 0; x < xTicks.length; x++) {
                series[0][c] = x;
                series[1][c] = y;
                series[2][c] = values[y][x];
                min = Math.min(min, values[y][x]);
                max = Math.max(max, values[y][x]);
                c++;
            }
        }
        if (max <= min) {
            max = min + 1e-9;
        }
        DefaultXYZDataset ds = new DefaultXYZDataset();
        ds.addSeries(title, series);
        XYBlockRenderer renderer = new XYBlockRenderer();
        Viridis scale = new Viridis(min, max);
        renderer.setPaintScale(scale);
        SymbolAxis xAxis = new SymbolAxis(xLabel, xTicks);
        SymbolAxis yAxis = new SymbolAxis(yLabel, yTicks);
        xAxis.setGridBandsVisible(false);
        yAxis.setGridBandsVisible(false);
        XYPlot plot = new XYPlot(ds, xAxis, yAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        for (int j = 0; j < cells; j++) {
            XYTextAnnotation a = new XYTextAnnotation(Html.num(series[2][j], 4), series[0][j], series[1][j]);
            a.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            a.setPaint(series[2][j] > (min + max) / 2 ? Color.BLACK : Color.WHITE);
            plot.addAnnotation(a);
        }
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, false);
        PaintScaleLegend legend = new PaintScaleLegend(scale, new NumberAxis(null));
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 40, 4);
        chart.addSubtitle(legend);
        chart.setBackgroundPaint(Color.WHITE);
        return svg(id, chart, w, h);
    }

    /** A scatter plot of {@code xy = [x0, y0, x1, y1, ...]}, one series per category (in {@code categories} order). */
    public static String scatter(String id, String xLabel, String yLabel, double[] xy, String[] category, List<String> categories,
                                 int w, int h) {
        XYSeriesCollection ds = new XYSeriesCollection();
        for (String cat : categories) {
            ds.addSeries(new XYSeries(cat, false, true));
        }
        for (int j = 0; j < category.length; j++) {
            int s = categories.indexOf(category[j]);
            if (s >= 0) {
                ds.getSeries(s).add(xy[2 * j], xy[2 * j + 1], false);
            }
        }
        JFreeChart chart = ChartFactory.createScatterPlot(null, xLabel, yLabel, ds, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        for (int s = 0; s < categories.size(); s++) {
            r.setSeriesShape(s, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
            r.setSeriesPaint(s, PALETTE[Math.min(s, PALETTE.length - 1)]);
        }
        plot.setRenderer(r);
        chart.setBackgroundPaint(Color.WHITE);
        return svg(id, chart, w, h);
    }

    /** Horizontal bars, one per label (in order), positive values in one color and negative in another. */
    public static String signedBars(String id, String valueLabel, List<String> labels, double[] values, int w, int h) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        for (int j = 0; j < labels.size(); j++) {
            ds.addValue(values[j], valueLabel, labels.get(j));
        }
        JFreeChart chart = ChartFactory.createBarChart(null, null, valueLabel, ds, PlotOrientation.HORIZONTAL, false, false, false);
        styleBars(chart);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setRenderer(new BarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                return values[column] >= 0 ? PALETTE[4] : PALETTE[5];
            }
        });
        ((BarRenderer) plot.getRenderer()).setBarPainter(new StandardBarPainter());
        ((BarRenderer) plot.getRenderer()).setShadowVisible(false);
        plot.getDomainAxis().setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        return svg(id, chart, w, h);
    }

    private static void styleBars(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        for (int s = 0; s < PALETTE.length; s++) {
            r.setSeriesPaint(s, PALETTE[s]);
        }
    }

    /**
     * Draws {@code chart} into Apache Batik's {@link SVGGraphics2D} on a plain JDK DOM and returns the {@code <svg>} element as
     * text, with {@code id} as its id and as the prefix of every generated id (clip paths, gradients), so several charts can share
     * one page.
     */
    static String svg(String id, JFreeChart chart, int w, int h) {
        try {
            Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().getDOMImplementation().createDocument(
                SVGSyntax.SVG_NAMESPACE_URI, "svg", null);
            SVGGeneratorContext context = SVGGeneratorContext.createDefault(document);
            context.setIDGenerator(new SVGIDGenerator() {
                @Override
                public String generateID(String prefix) {
                    return super.generateID(id + "-" + prefix);
                }
            });
            context.setComment(null);
            SVGGraphics2D g2 = new SVGGraphics2D(context, false);
            g2.setSVGCanvasSize(new Dimension(w, h));
            chart.draw(g2, new Rectangle2D.Double(0, 0, w, h));
            Element root = g2.getRoot();
            root.setAttribute("id", id);
            root.setAttribute("viewBox", "0 0 " + w + " " + h);
            StringWriter out = new StringWriter();
            g2.stream(root, out, true, false);
            String text = out.toString();
            return text.startsWith("<?xml") ? text.substring(text.indexOf("?>") + 2).strip() : text.strip();
        } catch (ParserConfigurationException | IOException e) {
            throw new IllegalStateException("could not render chart [" + id + "] as SVG", e);
        }
    }

    /** A viridis-like continuous scale (five anchor colors, linear in between) for the heatmap. */
    static final class Viridis implements PaintScale {
        private static final Color[] ANCHORS = { new Color(0x440154), new Color(0x3B528B), new Color(0x21918C), new Color(0x5EC962),
            new Color(0xFDE725) };
        private final double lower;
        private final double upper;

        Viridis(double lower, double upper) {
            this.lower = lower;
            this.upper = upper;
        }

        @Override
        public double getLowerBound() {
            return lower;
        }

        @Override
        public double getUpperBound() {
            return upper;
        }

        @Override
        public Paint getPaint(double value) {
            double t = Math.max(0, Math.min(1, (value - lower) / (upper - lower))) * (ANCHORS.length - 1);
            int k = Math.min(ANCHORS.length - 2, (int) Math.floor(t));
            double f = t - k;
            Color a = ANCHORS[k];
            Color b = ANCHORS[k + 1];
            return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
        }
    }
}
