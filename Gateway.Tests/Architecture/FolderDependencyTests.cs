using System.Text.RegularExpressions;

namespace Gateway.Tests.Architecture;

/// <summary>
/// Folders of Gateway/ depend on each other one way (CONTRIBUTING.md): read from each file's <c>using Gateway.X</c>
/// lines and its namespace-qualified references (<c>Sessions.Base64Digit</c>), the way a reader would grep them.
/// </summary>
public sealed partial class FolderDependencyTests
{
    private static readonly Lazy<Graph> Dependencies = new(Graph.Read);

    [Fact]
    public void Folders_AnyTwo_DependOnEachOtherOneWayOnly()
    {
        var graph = Dependencies.Value;
        Assert.True(graph.Edges.Count >= 10, $"only {graph.Edges.Count} folder dependencies read from {graph.Root}: is the source there?");
        var twoWay = graph.Edges.Keys
            .Where(e => string.CompareOrdinal(e.From, e.To) < 0 && graph.Edges.ContainsKey((e.To, e.From)))
            .Select(e => $"{e.From} ⇄ {e.To}: {e.From} → {e.To} in {string.Join(", ", graph.Edges[e])}; " +
                         $"{e.To} → {e.From} in {string.Join(", ", graph.Edges[(e.To, e.From)])}")
            .ToList();
        Assert.True(twoWay.Count == 0, "folders that depend on each other (move what both need to a lower folder):\n" + string.Join('\n', twoWay));
    }

    [Fact]
    public void Folders_AllDependencies_FormNoCycle()
    {
        var graph = Dependencies.Value;
        var cycles = graph.Folders.Select(f => graph.CycleFrom(f)).OfType<string>().Distinct().ToList();
        Assert.True(cycles.Count == 0, "folder dependency cycles:\n" + string.Join('\n', cycles));
    }

    [Fact]
    public void Graph_TwoFilesUsingEachOthersFolders_ReportsThePair()
    {
        var graph = new Graph("test");
        graph.Add("Audit/A.cs", "using Gateway.Sessions;\nnamespace Gateway.Audit;", new Dictionary<string, HashSet<string>>());
        graph.Add("Sessions/B.cs", "namespace Gateway.Sessions;\nclass B { Audit.AuditEvent? e; }", new() { ["Audit"] = ["AuditEvent"] });
        Assert.Equal(["Audit/A.cs"], graph.Edges[("Audit", "Sessions")]);
        Assert.Equal(["Sessions/B.cs"], graph.Edges[("Sessions", "Audit")]);
        Assert.NotNull(graph.CycleFrom("Audit"));
    }

    private sealed partial class Graph(string root)
    {
        public string Root { get; } = root;

        public Dictionary<(string From, string To), List<string>> Edges { get; } = [];

        public IEnumerable<string> Folders => Edges.Keys.Select(e => e.From).Distinct();

        public static Graph Read()
        {
            var root = Path.Combine(RepositoryRoot(), "Gateway");
            var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
                .Select(f => (Path: Path.GetRelativePath(root, f).Replace('\\', '/'), Text: File.ReadAllText(f)))
                .ToList();
            // The types each folder declares, so "Sessions.Base64Digit" counts and a property named Sessions does not.
            var types = files.GroupBy(f => FolderOf(f.Path))
                .ToDictionary(g => g.Key, g => g.SelectMany(f => TypeDeclaration().Matches(f.Text).Select(m => m.Groups[1].Value)).ToHashSet());
            var graph = new Graph(root);
            foreach (var (path, text) in files)
            {
                graph.Add(path, text, types);
            }
            return graph;
        }

        public void Add(string path, string text, Dictionary<string, HashSet<string>> types)
        {
            var from = FolderOf(path);
            var code = string.Join('\n', text.Split('\n').Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)));
            var targets = UsingLine().Matches(code).Select(m => m.Groups[1].Value)
                .Concat(QualifiedReference().Matches(code)
                    .Where(m => types.TryGetValue(m.Groups[1].Value, out var declared) && declared.Contains(m.Groups[2].Value))
                    .Select(m => m.Groups[1].Value));
            foreach (var to in targets.Distinct().Where(t => t != from))
            {
                if (!Edges.TryGetValue((from, to), out var list))
                {
                    Edges[(from, to)] = list = [];
                }
                list.Add(path);
            }
        }

        /// <summary>A cycle through <paramref name="start"/> as "A → B → C → A", or null.</summary>
        public string? CycleFrom(string start)
        {
            var path = new List<string> { start };
            var seen = new HashSet<string>();
            return Walk(start) ? string.Join(" → ", path) : null;

            bool Walk(string folder)
            {
                foreach (var next in Edges.Keys.Where(e => e.From == folder).Select(e => e.To).Order(StringComparer.Ordinal))
                {
                    path.Add(next);
                    if (next == start || (seen.Add(next) && Walk(next)))
                    {
                        return true;
                    }
                    path.RemoveAt(path.Count - 1);
                }
                return false;
            }
        }

        private static string FolderOf(string path) => path.Contains('/') ? path[..path.IndexOf('/')] : "(root)";

        private static string RepositoryRoot()
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

        [GeneratedRegex(@"^using (?:static )?Gateway\.(\w+)", RegexOptions.Multiline)]
        private static partial Regex UsingLine();

        [GeneratedRegex(@"(?<![\w.""])([A-Z]\w*)\.([A-Z]\w*)")]
        private static partial Regex QualifiedReference();

        [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(\w+)")]
        private static partial Regex TypeDeclaration();
    }
}
