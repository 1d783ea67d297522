package io.cnm4j.linux.kernelmatrix;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs kernel integration test classes in this JVM and writes surefire-format reports: the test
 * runner of the kernel-matrix guest ({@code .ci/kernel-matrix}), where starting Maven or one JVM
 * per class would cost minutes under emulation.
 *
 * <p>Usage: {@code KernelMatrixLauncher REPORT_DIR CLASS...}. Exits 0 only when at least one test
 * ran and none failed.
 */
public final class KernelMatrixLauncher {
    private KernelMatrixLauncher() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: KernelMatrixLauncher REPORT_DIR CLASS...");
            System.exit(64);
        }
        SurefireXmlReport report = new SurefireXmlReport(Path.of(args[0]));
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(Arrays.stream(args, 1, args.length).map(name -> selectClass(name)).toList())
                .build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, report, new ProgressLog());
        report.write();
        SurefireXmlReport.Totals totals = report.totals();
        System.out.printf("Tests run: %d, Failures: %d, Errors: %d, Skipped: %d (kernel %s)%n", totals.tests(),
                totals.failures(), totals.errors(), totals.skipped(), System.getProperty("os.version"));
        boolean passed = totals.tests() > 0 && totals.failures() == 0 && totals.errors() == 0;
        System.exit(passed ? 0 : 1);
    }
}
