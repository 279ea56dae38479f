namespace Gateway.Assertions;

/// <summary>
/// Keys from <c>Gateway:Assertion:KeyFile</c>, read once: the first signs, all are published. Rotating by hand:
/// add the new key second and wait for backends' key caches (the JWKS lifetime), move it first, then remove the old
/// one once the last token it signed has expired (the assertion lifetime).
/// </summary>
internal sealed class FileAssertionKeys : IAssertionKeys
{
    private readonly AssertionKeyRing _ring;

    public FileAssertionKeys(string path, string shown)
    {
        var errors = new List<string>();
        var keys = AssertionKeyFile.Read(path, shown, errors);
        if (errors.Count > 0)
        {
            // The validator has already refused these at start; this is the file having changed since.
            throw new InvalidOperationException(string.Join(" ", errors));
        }
        var published = keys.Select(k => new AssertionKey(k)).ToArray();
        _ring = new AssertionKeyRing(published[0], published);
    }

    public ValueTask<AssertionKeyRing> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_ring);
}
