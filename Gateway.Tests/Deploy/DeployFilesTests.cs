using System.Diagnostics;

namespace Gateway.Tests.Deploy;

/// <summary>
/// deploy/ cannot be run here (no container engine), so CI checks it by construction: deploy/check.py parses every
/// YAML file and checks the Dockerfile, compose file and Kubernetes manifests against the real health paths and
/// documented configuration keys (python3 and python3-yaml are installed by run-tests.sh).
/// </summary>
public sealed class DeployFilesTests
{
    [Fact]
    public async Task DeployCheck_RepositoryFiles_NoProblems()
    {
        var root = RepositoryRoot();
        var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        info.ArgumentList.Add(Path.Combine(root, "deploy", "check.py"));
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(process.ExitCode == 0, await output + await error);
        Assert.Contains("0 problems", await output);
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gateway.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("repository root (Gateway.sln) not found above " + AppContext.BaseDirectory);
    }
}
