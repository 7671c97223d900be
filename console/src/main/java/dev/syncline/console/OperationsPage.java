package dev.syncline.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Operations: per topic the messages in and out per second and its size, per consumer group its lag, the DLQs' counts,
 * each service's health, the syncs running now and their rows/s, with charts over the last hour. The tables refresh
 * every 2 s (htmx), the charts read {@code /operations/series} on the same beat.
 */
@Path("/operations")
public class OperationsPage {

    public record TopicRow(String name, long messages, String inRate, String outRate, String size, String peakIn,
                           boolean dlq) { }

    public record GroupRow(String group, String topics, long lag, long peakLag) { }

    public record ServiceRow(String name, String url, boolean up) { }

    public record Syncs(long running, String rowsPerSecond, String rejectsPerSecond, String peakRowsPerSecond) { }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance operations(List<ServiceRow> services, Syncs syncs, List<TopicRow> topics,
                                                  List<TopicRow> dlqs, List<GroupRow> groups, String bootstrap,
                                                  String kafkaError, int samples);
    }

    @Inject
    OperationsSampler sampler;

    @GET
    @Authenticated
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page() {
        List<OperationsSampler.Sample> all = sampler.samples();
        OperationsSampler.Sample last = all.isEmpty() ? null : all.getLast();
        OperationsSampler.Sample before = all.size() < 2 ? null : all.get(all.size() - 2);
        List<ServiceRow> services = new ArrayList<>();
        sampler.services().forEach((name, url) -> services.add(new ServiceRow(name, url,
                last != null && Boolean.TRUE.equals(last.health().get(name)))));
        double rows = before == null ? 0 : rate(before, last, before.recordsRead(), last.recordsRead());
        double rejects = before == null ? 0 : rate(before, last, before.recordsRejected(), last.recordsRejected());
        double peakRows = 0;
        for (int i = 1; i < all.size(); i++) {
            peakRows = Math.max(peakRows, rate(all.get(i - 1), all.get(i), all.get(i - 1).recordsRead(), all.get(i).recordsRead()));
        }
        Syncs syncs = new Syncs(last == null ? 0 : (long) last.syncsRunning(), perSecond(rows), perSecond(rejects),
                perSecond(peakRows));
        List<TopicRow> topics = new ArrayList<>();
        List<TopicRow> dlqs = new ArrayList<>();
        List<GroupRow> groups = new ArrayList<>();
        if (last != null) {
            for (String topic : last.endOffsets().keySet()) {
                double peakIn = 0;
                for (int i = 1; i < all.size(); i++) {
                    peakIn = Math.max(peakIn, in(all.get(i - 1), all.get(i), topic));
                }
                TopicRow row = new TopicRow(topic, last.endOffsets().get(topic),
                        perSecond(before == null ? 0 : in(before, last, topic)),
                        perSecond(before == null ? 0 : out(before, last, topic)),
                        ConnectionPage.bytes(last.sizes().getOrDefault(topic, 0L)), perSecond(peakIn),
                        topic.endsWith(".dlq"));
                (row.dlq() ? dlqs : topics).add(row);
            }
            for (var g : last.lag().entrySet()) {
                long peak = 0;
                for (OperationsSampler.Sample s : all) {
                    peak = Math.max(peak, s.lag().getOrDefault(g.getKey(), 0L));
                }
                groups.add(new GroupRow(g.getKey(), String.join(", ", last.committed().get(g.getKey()).keySet()), g.getValue(), peak));
            }
        }
        return Templates.operations(services, syncs, topics, dlqs, groups, sampler.bootstrap(),
                last == null ? null : last.kafkaError(), all.size());
    }

    /** The last hour as uPlot reads it: x in epoch seconds, then one array per line. */
    @GET
    @Authenticated
    @Path("series")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> series() {
        List<OperationsSampler.Sample> all = sampler.samples();
        List<Long> t = new ArrayList<>();
        List<Double> in = new ArrayList<>();
        List<Double> out = new ArrayList<>();
        List<Double> rows = new ArrayList<>();
        List<Double> rejects = new ArrayList<>();
        TreeSet<String> groupNames = new TreeSet<>();
        all.forEach(s -> groupNames.addAll(s.lag().keySet()));
        Map<String, List<Long>> lag = new LinkedHashMap<>();
        groupNames.forEach(g -> lag.put(g, new ArrayList<>()));
        for (int i = 1; i < all.size(); i++) {
            OperationsSampler.Sample a = all.get(i - 1);
            OperationsSampler.Sample b = all.get(i);
            t.add(b.at() / 1000);
            double totalIn = 0;
            double totalOut = 0;
            for (String topic : b.endOffsets().keySet()) {
                totalIn += in(a, b, topic);
                totalOut += out(a, b, topic);
            }
            in.add(totalIn);
            out.add(totalOut);
            rows.add(rate(a, b, a.recordsRead(), b.recordsRead()));
            rejects.add(rate(a, b, a.recordsRejected(), b.recordsRejected()));
            groupNames.forEach(g -> lag.get(g).add(b.lag().getOrDefault(g, 0L)));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("t", t);
        m.put("messagesIn", in);
        m.put("messagesOut", out);
        m.put("rows", rows);
        m.put("rejects", rejects);
        m.put("lag", lag);
        return m;
    }

    private static double in(OperationsSampler.Sample a, OperationsSampler.Sample b, String topic) {
        return rate(a, b, a.endOffsets().getOrDefault(topic, b.endOffsets().get(topic)), b.endOffsets().get(topic));
    }

    /** Messages consumed from the topic per second, over every consumer group. */
    private static double out(OperationsSampler.Sample a, OperationsSampler.Sample b, String topic) {
        double sum = 0;
        for (var g : b.committed().entrySet()) {
            Long now = g.getValue().get(topic);
            Long then = a.committed().getOrDefault(g.getKey(), Map.of()).get(topic);
            if (now != null && then != null) {
                sum += rate(a, b, then, now);
            }
        }
        return sum;
    }

    private static double rate(OperationsSampler.Sample a, OperationsSampler.Sample b, double from, double to) {
        double seconds = (b.at() - a.at()) / 1000.0;
        return seconds <= 0 ? 0 : Math.max(0, (to - from) / seconds);
    }

    static String perSecond(double v) {
        return v == 0 ? "0/s" : v < 10 ? String.format("%.1f/s", v) : String.format("%,.0f/s", v);
    }
}
