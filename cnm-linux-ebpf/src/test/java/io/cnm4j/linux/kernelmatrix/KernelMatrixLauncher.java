package io.cnm4j.linux.kernelmatrix;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs kernel integration test classes in this JVM and writes surefire-format reports: the test
 * runner of the kernel-matrix guest ({@code .ci/kernel-matrix}), where starting Maven or one JVM
 * per class would cost minutes under emulation.
 *
 * <p>Usage: {@code KernelMatrixLauncher REPORT_DIR CLASS... [-CLASS#METHOD...]}: the classes to run,
 * and test methods to leave out. Exits 0 only when at least one test ran and none failed.
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
        List<String> arguments = Arrays.asList(args).subList(1, args.length);
        Set<String> leftOut = arguments.stream().filter(a -> a.startsWith("-")).map(a -> a.substring(1))
                .collect(Collectors.toSet());
        PostDiscoveryFilter notLeftOut = descriptor -> FilterResult.includedIf(descriptor.getSource()
                .filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                .map(method -> !leftOut.contains(method.getClassName() + "#" + method.getMethodName()))
                .orElse(true), () -> "run", () -> "left out in this kernel's run");
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(arguments.stream().filter(a -> !a.startsWith("-")).map(name -> selectClass(name)).toList())
                .filters(notLeftOut)
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
