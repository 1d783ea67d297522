package io.cnm4j.linux.kernelmatrix;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/** One line per finished test on standard output, so a slow guest run shows where it is. */
final class ProgressLog implements TestExecutionListener {
    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (id.isTest() || result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            System.out.println(result.getStatus() + " " + id.getUniqueId()
                    + result.getThrowable().map(t -> ": " + t).orElse(""));
        }
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        System.out.println("SKIPPED " + id.getUniqueId() + ": " + reason);
    }
}
