namespace Gateway.Connections;

/// <summary>
/// Follows the frame boundaries of one direction of a WebSocket (RFC 6455 section 5.2) without buffering or
/// unmasking anything: enough to know when no frame is half-written, so a Close frame may be put in between, and
/// to notice the peer's Close. Control frames may come between the fragments of a message, so any boundary will do.
/// </summary>
internal struct WebSocketFrameScanner
{
    private const int CloseOpcode = 0x8;

    private int _headerRead;
    private int _headerLength;
    private int _extended;
    private long _length;
    private long _payloadLeft;
    private bool _inPayload;

    /// <summary>True between frames: nothing of a frame has been seen that is not complete.</summary>
    public readonly bool AtBoundary => !_inPayload && _headerRead == 0;

    /// <summary>True once a Close frame's header went by.</summary>
    public bool SawClose { get; private set; }

    /// <summary>
    /// Follows <paramref name="data"/>; with <paramref name="untilBoundary"/>, stops at the first frame boundary after
    /// the start of a frame. Returns how many bytes were followed.
    /// </summary>
    public int Advance(ReadOnlySpan<byte> data, bool untilBoundary = false)
    {
        var i = 0;
        while (i < data.Length)
        {
            if (_inPayload)
            {
                var take = (int)Math.Min(_payloadLeft, data.Length - i);
                i += take;
                _payloadLeft -= take;
                if (_payloadLeft == 0)
                {
                    _inPayload = false;
                    if (untilBoundary)
                    {
                        return i;
                    }
                }
                continue;
            }
            ReadHeaderByte(data[i++]);
            if (_headerRead > 0 && _headerRead == _headerLength)
            {
                _headerRead = 0;
                _inPayload = _length > 0;
                _payloadLeft = _length;
                if (!_inPayload && untilBoundary)
                {
                    return i;
                }
            }
        }
        return i;
    }

    private void ReadHeaderByte(byte value)
    {
        switch (_headerRead)
        {
            case 0:
                SawClose |= (value & 0x0F) == CloseOpcode;
                _headerLength = 2;
                _length = 0;
                break;
            case 1:
                var length7 = value & 0x7F;
                _headerLength = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + ((value & 0x80) != 0 ? 4 : 0);
                _length = length7 < 126 ? length7 : 0;
                _extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
                break;
            default:
                if (_headerRead - 2 < _extended)
                {
                    _length = (_length << 8) | value;
                }
                break;
        }
        _headerRead++;
    }
}
