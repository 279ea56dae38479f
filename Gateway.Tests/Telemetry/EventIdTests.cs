using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Telemetry;

/// <summary>Every [LoggerMessage] of the gateway has an event id and name of its own: dashboards and alerts key on them.</summary>
public sealed class EventIdTests
{
    private static readonly List<(string Method, LoggerMessageAttribute Attribute)> Messages =
        typeof(Gateway.GatewayApplication).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Select(m => (Method: $"{t.FullName}.{m.Name}", Attribute: m.GetCustomAttribute<LoggerMessageAttribute>())))
            .Where(m => m.Attribute is not null)
            .Select(m => (m.Method, m.Attribute!))
            .ToList();

    [Fact]
    public void LoggerMessages_WholeAssembly_EventIdsUnique()
    {
        Assert.True(Messages.Count >= 20, $"found only {Messages.Count} [LoggerMessage] methods");
        var shared = Messages.GroupBy(m => m.Attribute.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}").ToList();

        Assert.True(shared.Count == 0, "event ids used more than once:\n" + string.Join('\n', shared));
    }

    [Fact]
    public void LoggerMessages_WholeAssembly_EventNamesSetAndUnique()
    {
        Assert.All(Messages, m => Assert.False(string.IsNullOrEmpty(m.Attribute.EventName), m.Method + " has no EventName"));
        var shared = Messages.GroupBy(m => m.Attribute.EventName).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

        Assert.True(shared.Count == 0, "event names used more than once: " + string.Join(", ", shared));
    }
}
