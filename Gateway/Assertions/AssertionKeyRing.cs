namespace Gateway.Assertions;

/// <summary>The signing key and the keys a backend must accept, current first.</summary>
internal sealed record AssertionKeyRing(AssertionKey Signing, IReadOnlyList<AssertionKey> Published);
