namespace Gateway.Configuration;

/// <summary>
/// Finds the directory holding appsettings.json and routes.json: the current directory when it has them
/// (<c>dotnet run --project Gateway</c> from the repository root), else the application's own folder (a
/// published build, where the files are copied beside the binary).
/// </summary>
internal static class ConfigDirectory
{
    public static string Locate(string currentDirectory, string baseDirectory) =>
        File.Exists(Path.Combine(currentDirectory, "appsettings.json")) ? currentDirectory : baseDirectory;

    public static string Resolve(IHostEnvironment environment, string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(environment.ContentRootPath, path));
}
