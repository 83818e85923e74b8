#include "flowrun/gitlab/reporter.h"

#include <algorithm>

#include "flowrun/core/text.h"
#include "flowrun/gitlab/internal/json.h"
#include "flowrun/gitlab/internal/url_escape.h"
#include "flowrun/gitlab/note.h"

namespace flowrun::gitlab {

namespace {

// One URL path segment: percent-encoded, and "." or ".." encoded too, which the HTTP client would otherwise resolve
// as a step up the path.
std::string encoded_segment(std::string_view text) {
  std::string encoded = internal::url_escaped(text);
  if (encoded == "." || encoded == "..") {
    std::string dots;
    for (std::size_t i = 0; i < encoded.size(); ++i) dots += "%2E";
    return dots;
  }
  return encoded;
}

using nlohmann::json;

constexpr int kNotePages = 3;  // 300 newest notes: a run's own note is recent

bool is_refusal(const Response& response) { return response.status == 403 || response.status == 404; }

std::string note_body_json(std::string_view body) { return internal::dump(json{{"body", std::string(body)}}); }

struct Place {
  std::string path;         // "/projects/g%2Fp/issues/7"
  std::string description;  // "issue #7 of g/p", for messages
};

std::optional<Place> place_of(Client& client, const Noteable& noteable, std::string& error) {
  using Kind = Noteable::Kind;
  const std::string reference = short_reference(noteable.kind, noteable.iid);
  switch (noteable.kind) {
    case Kind::issue:
      return Place{"/projects/" + encoded_api_id(noteable.project) + "/issues/" + std::to_string(noteable.iid),
                   "issue " + reference + " of project " + noteable.project};
    case Kind::merge_request:
      return Place{"/projects/" + encoded_api_id(noteable.project) + "/merge_requests/" + std::to_string(noteable.iid),
                   "merge request " + reference + " of project " + noteable.project};
    case Kind::epic: {
      // The epic notes and discussions APIs take the epic's id, not its iid.
      const std::string group = "/groups/" + encoded_api_id(noteable.group);
      long long id = noteable.id;
      if (id <= 0) {
        Response epic = client.get(group + "/epics/" + std::to_string(noteable.iid));
        if (!epic.ok()) {
          error = "could not find epic " + reference + " of group " + noteable.group + ": " + epic.error;
          return std::nullopt;
        }
        auto parsed = internal::parse_json(epic.body);
        id = parsed ? internal::integer_field(*parsed, "id").value_or(0) : 0;
        if (id <= 0) {
          error = "GitLab's answer for epic " + reference + " of group " + noteable.group + " has no id";
          return std::nullopt;
        }
      }
      return Place{group + "/epics/" + std::to_string(id), "epic " + reference + " of group " + noteable.group};
    }
  }
  return std::nullopt;
}

// The marker must end the note: a marker quoted inside another note (say, in command output) does not count.
bool ends_with_marker(std::string_view body, std::string_view marker) { return text::trim(body).ends_with(marker); }

std::optional<json> note_with_marker(const json& notes, const std::string& marker) {
  if (!notes.is_array()) return std::nullopt;
  for (const json& note : notes) {
    if (!note.is_object()) continue;
    auto system = note.find("system");
    if (system != note.end() && system->is_boolean() && system->get<bool>()) continue;
    if (ends_with_marker(internal::string_field(note, "body"), marker) &&
        internal::integer_field(note, "id").value_or(0) > 0)
      return note;
  }
  return std::nullopt;
}

class NotePoster {
 public:
  NotePoster(Client& client, const Noteable& noteable, Place place, std::string body, std::string marker)
      : client_(client),
        noteable_(noteable),
        place_(std::move(place)),
        body_(std::move(body)),
        marker_(std::move(marker)) {}

  // nullopt when the Discussions API refused, so that a top-level note is the way left.
  std::optional<ReportResult> reply_in_discussion(const std::string& discussion_id) {
    const std::string discussion = place_.path + "/discussions/" + encoded_segment(discussion_id);
    auto existing = find_in_discussion(discussion);
    if (existing.refused) return std::nullopt;
    if (existing.note) return update(*existing.note, true);

    Response created =
        client_.post_json(discussion + "/notes", note_body_json(body_), [&]() -> std::optional<Response> {
          auto again = find_in_discussion(discussion);
          if (!again.note) return std::nullopt;
          return Response{201, internal::dump(*again.note), ""};
        });
    if (is_refusal(created)) return std::nullopt;
    return created_result(created, true);
  }

  ReportResult post_top_level() {
    const std::string notes = place_.path + "/notes";
    if (auto existing = find_in_notes(notes)) return update(*existing, false);
    Response created = client_.post_json(notes, note_body_json(body_), [&]() -> std::optional<Response> {
      auto again = find_in_notes(notes);
      if (!again) return std::nullopt;
      return Response{201, internal::dump(*again), ""};
    });
    return created_result(created, false);
  }

 private:
  struct Found {
    std::optional<json> note;
    bool refused = false;
  };

  Found find_in_discussion(const std::string& discussion) {
    Response response = client_.get(discussion);
    if (is_refusal(response)) return Found{std::nullopt, true};
    if (!response.ok() || marker_.empty()) return {};
    auto parsed = internal::parse_json(response.body);
    if (!parsed || !parsed->is_object() || !parsed->contains("notes")) return {};
    return Found{note_with_marker((*parsed)["notes"], marker_), false};
  }

  std::optional<json> find_in_notes(const std::string& notes) {
    if (marker_.empty()) return std::nullopt;
    for (int page = 1; page <= kNotePages; ++page) {
      Response response =
          client_.get(notes + "?order_by=created_at&sort=desc&per_page=100&page=" + std::to_string(page));
      if (!response.ok()) return std::nullopt;
      auto parsed = internal::parse_json(response.body);
      if (!parsed || !parsed->is_array()) return std::nullopt;
      if (auto note = note_with_marker(*parsed, marker_)) return note;
      if (parsed->size() < 100) return std::nullopt;
    }
    return std::nullopt;
  }

  ReportResult update(const json& note, bool in_discussion) {
    const long long id = internal::integer_field(note, "id").value_or(0);
    ReportResult result;
    result.in_discussion = in_discussion;
    result.note_id = id;
    if (internal::string_field(note, "body") == body_) {
      client_.log("GitLab note " + std::to_string(id) + " already says this; not editing it");
    } else {
      Response edited = client_.put_json(place_.path + "/notes/" + std::to_string(id), note_body_json(body_));
      if (!edited.ok()) {
        result.error = "could not edit note " + std::to_string(id) + " on " + place_.description + ": " + edited.error;
        return result;
      }
    }
    result.posted = true;
    result.updated = true;
    result.url = note_url(id);
    return result;
  }

  ReportResult created_result(const Response& created, bool in_discussion) {
    ReportResult result;
    result.in_discussion = in_discussion;
    if (!created.ok()) {
      result.error = "could not post the note on " + place_.description + ": " + created.error;
      return result;
    }
    auto parsed = internal::parse_json(created.body);
    result.posted = true;
    result.note_id = parsed ? internal::integer_field(*parsed, "id").value_or(0) : 0;
    result.url = note_url(result.note_id);
    return result;
  }

  std::string note_url(long long id) const {
    if (noteable_.web_url.empty() || id <= 0) return noteable_.web_url;
    return noteable_.web_url + "#note_" + std::to_string(id);
  }

  Client& client_;
  const Noteable& noteable_;
  Place place_;
  std::string body_;
  std::string marker_;
};

}  // namespace

std::string encoded_api_id(std::string_view id_or_path) {
  id_or_path = text::trim(id_or_path);
  const bool numeric = !id_or_path.empty() &&
                       std::all_of(id_or_path.begin(), id_or_path.end(), [](char c) { return c >= '0' && c <= '9'; });
  return numeric ? std::string(id_or_path) : encoded_segment(id_or_path);
}

ReportResult post_note(Client& client, const Noteable& noteable, std::string_view body, std::string_view marker) {
  std::string text(body);
  const std::string marker_text = marker.empty() ? std::string() : marker_comment(marker);
  if (!marker_text.empty() && !ends_with_marker(text, marker_text)) text += "\n\n" + marker_text;

  std::string error;
  auto place = place_of(client, noteable, error);
  if (!place) return ReportResult{false, false, false, 0, "", error};

  NotePoster poster(client, noteable, *place, std::move(text), marker_text);
  if (noteable.discussion_id && !noteable.discussion_id->empty()) {
    if (auto replied = poster.reply_in_discussion(*noteable.discussion_id)) return *replied;
    client.log("GitLab refused the reply in discussion " + *noteable.discussion_id + " on " + place->description +
               "; posting a top-level note instead");
  }
  return poster.post_top_level();
}

}  // namespace flowrun::gitlab
