namespace Gateway.Cli;

/// <summary>What a command reads and writes, and the <c>--Section:Key=value</c> configuration overrides it was given.</summary>
internal sealed record CliContext(TextReader Input, TextWriter Output, TextWriter Error, string[] Overrides);
