package io.gpfo.greenplum;

import io.gpfo.port.CommandResult;
import java.util.List;

/** What a failed Greenplum management tool said: its last [CRITICAL]/[ERROR] line, else the exit summary. */
public final class GreenplumOutput {

    private GreenplumOutput() {
    }

    public static String lastError(CommandResult result) {
        List<String> lines = (result.stdout() + "\n" + result.stderr()).lines()
                .filter(line -> line.contains("[CRITICAL]") || line.contains("[ERROR]") || line.contains("Error")).toList();
        if (lines.isEmpty()) {
            return result.failureSummary();
        }
        String line = lines.get(lines.size() - 1);
        int marker = line.indexOf("]:-");
        return "exit " + result.exitCode() + ": " + (marker >= 0 ? line.substring(marker + 3) : line);
    }
}
