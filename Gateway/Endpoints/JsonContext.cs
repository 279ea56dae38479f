using System.Text.Json.Serialization;

namespace Gateway.Endpoints;

/// <summary>Source-generated JSON for every body the gateway reads or writes.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProblemBody))]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(SessionInfo))]
[JsonSerializable(typeof(ReadinessBody))]
internal sealed partial class JsonContext : JsonSerializerContext;

/// <summary>JSON login body.</summary>
internal sealed record LoginRequest(string? Username, string? Password);

/// <summary>What the gateway tells a caller about its own session.</summary>
internal sealed record SessionInfo(string User, string[] Roles, string Handle, DateTimeOffset Created, DateTimeOffset LastSeen, DateTimeOffset Expires, DateTimeOffset IdleExpires);

/// <summary>Readiness answer.</summary>
internal sealed record ReadinessBody(string Status, string Store, string? Detail);
