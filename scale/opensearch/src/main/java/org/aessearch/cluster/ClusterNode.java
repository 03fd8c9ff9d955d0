package org.aessearch.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.node.MockNode;
import org.opensearch.node.Node;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch node of the test cluster, in this JVM: OpenSearch's own {@link MockNode}
 * (the test framework's way to start a node with plugins from the classpath, no distribution
 * needed), with the netty4 transport and HTTP, and analysis-common for the French chain.
 *
 * <p>Usage: {@code ClusterNode NAME HTTP_PORT TRANSPORT_PORT HOME ALL_TRANSPORT_PORTS ALL_NAMES},
 * the last two comma-separated, so that every node knows the seed hosts and the nodes that
 * bootstrap the first election. Binds 127.0.0.1 only.
 */
public final class ClusterNode {
    private ClusterNode() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println(
                "usage: ClusterNode NAME HTTP_PORT TRANSPORT_PORT HOME SEED_PORTS NAMES");
            System.exit(2);
        }
        String name = args[0];
        Path home = Path.of(args[3]).toAbsolutePath();
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("logs"));
        List<String> seeds = new ArrayList<>();
        for (String port : args[4].split(",")) {
            seeds.add("127.0.0.1:" + port);
        }
        Settings settings = Settings.builder()
            .put("cluster.name", "aes-search-test")
            .put("node.name", name)
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", args[1])
            .put("transport.port", args[2])
            .put("transport.type", "netty4")
            .put("http.type", "netty4")
            .putList("discovery.seed_hosts", seeds)
            .putList("cluster.initial_cluster_manager_nodes", List.of(args[5].split(",")))
            // A shared test machine's disk may be nearly full: never refuse shards for it.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("action.auto_create_index", true)
            .build();
        Node node = new MockNode(
            settings, List.of(Netty4Plugin.class, CommonAnalysisPlugin.class));
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                closed.countDown();
            }
        }));
        node.start();
        System.err.println("node " + name + " started on http://127.0.0.1:" + args[1]);
        closed.await();
    }
}
