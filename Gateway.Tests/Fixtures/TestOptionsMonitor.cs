using Microsoft.Extensions.Options;

namespace Gateway.Tests.Fixtures;

/// <summary>Options that a test sets and changes by hand; change notifications are not needed by unit tests.</summary>
public sealed class TestOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue { get; set; } = value;

    public T Get(string? name) => CurrentValue;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
