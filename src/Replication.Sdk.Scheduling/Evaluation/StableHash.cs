using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// A hash that is the same in every process, on every restart, instance and platform (unlike
/// <see cref="string.GetHashCode()"/>, which .NET randomises per process), for placements that must not move: hashed cron
/// values and spread offsets. SHA-256 is in every runtime and never changes; its first 8 bytes are used, little-endian.
/// </summary>
internal static class StableHash
{
    public static ulong Of(string text)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        return BinaryPrimitives.ReadUInt64LittleEndian(digest);
    }
}
