using System.Text.Json;
using System.Text.Json.Serialization;

namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>
/// How the API writes the scheduler's own types (preview, forecast, RPO state, audit records): web defaults and enum
/// values as their names, as the API's views write them, generated at compile time (trimming and AOT safe), without
/// touching the host's JSON options for its other endpoints. It reads the actions' bodies strictly: a number is a JSON
/// number (not <c>"5"</c>, which the web defaults would take), an instant names its offset (<see cref="InstantWithOffset"/>).
/// Neither changes what is written: strict numbers are written as the web defaults write them, instants as the default converter does.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, NumberHandling = JsonNumberHandling.Strict, AllowDuplicateProperties = false, Converters = [typeof(InstantWithOffset)])]
[JsonSerializable(typeof(SchedulePreview))]
[JsonSerializable(typeof(IReadOnlyList<SchedulePreview>))]
[JsonSerializable(typeof(RpoForecast))]
[JsonSerializable(typeof(IReadOnlyList<RpoStatus>))]
[JsonSerializable(typeof(IReadOnlyList<AuditRecord>))]
[JsonSerializable(typeof(TriggerRequest))]
[JsonSerializable(typeof(PauseRequest))]
[JsonSerializable(typeof(ResumeRequest))]
[JsonSerializable(typeof(ScheduleRequest))]
[JsonSerializable(typeof(GroupRequest))]
[JsonSerializable(typeof(MemberRequest))]
internal sealed partial class ApiJson : JsonSerializerContext;
