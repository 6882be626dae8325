// easctl user list and user set: the users of the store with what the
// directory (the GAL) shows of them, and changing that.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "cli/easctl/commands.hpp"
#include "cli/easctl/json_out.hpp"
#include "core/auth/user_name.hpp"
#include "core/directory/picture_budget.hpp"
#include "core/util/join.hpp"

namespace eas::cli {
namespace {

// The JPEG at `path`, or false with why: phones show JPEG only, and none
// asks for more than 100 KB (MS-ASCMD MaxSize).
bool ReadJpeg(const std::string& path, std::string* out, std::string* why) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *why = "cannot read " + path;
    return false;
  }
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (out->size() < 3 || out->compare(0, 3, "\xFF\xD8\xFF") != 0) {
    *why = path + " is not a JPEG file";
    return false;
  }
  if (out->size() > core::directory::kMaxPictureSize) {
    *why = path + " has " + std::to_string(out->size()) + " bytes; a picture may have at most " +
           std::to_string(core::directory::kMaxPictureSize);
    return false;
  }
  return true;
}

}  // namespace

int UserList(storage::Store& store, const Args& a) {
  std::vector<storage::UserRecord> users;
  std::vector<size_t> picture_sizes;  // per user; 0: none
  Status s = store.Read([&](storage::Txn& txn) -> Status {
    auto list = txn.ListUsers();
    if (!list.ok()) return list.status();
    users = std::move(list).value();
    for (const storage::UserRecord& u : users) {
      std::string_view jpeg;
      Status p = txn.ViewUserPicture(u.id, &jpeg);
      if (!p.ok() && p.code() != Code::kNotFound) return p;
      picture_sizes.push_back(p.ok() ? jpeg.size() : 0);
    }
    return Status::Ok();
  });
  if (!s.ok()) return Fail(s.message());
  if (a.json) {
    JsonArray out(std::cout);
    for (size_t i = 0; i < users.size(); ++i) {
      const storage::UserRecord& u = users[i];
      const storage::UserDirectoryFields& d = u.directory;
      out.Object({{"name", u.name}, {"display_name", u.display_name},
                  {"addresses", core::util::JoinWith(u.addresses, ",")},
                  {"local_password", u.password_hash.empty() ? "no" : "yes"},
                  {"first_name", d.first_name}, {"last_name", d.last_name}, {"alias", d.alias},
                  {"company", d.company}, {"title", d.title}, {"office", d.office},
                  {"phone", d.phone}, {"mobile_phone", d.mobile_phone}, {"home_phone", d.home_phone},
                  {"picture_bytes", std::to_string(picture_sizes[i])}});
    }
    return 0;
  }
  std::printf("%-20s %-24s %s\n", "NAME", "DISPLAY NAME", "ADDRESSES");
  for (const auto& u : users) {
    std::printf("%-20s %-24s %s\n", u.name.c_str(), u.display_name.c_str(),
                core::util::JoinWith(u.addresses, ",").c_str());
  }
  return 0;
}

int UserSet(storage::Store& store, const Args& a) {
  if (a.positional.size() != 3) return Usage();
  if (a.picture && a.no_picture) return Fail("--picture and --no-picture exclude each other");
  const std::string name = core::auth::CanonicalUserName(a.positional[2]);
  std::string jpeg, why;
  if (a.picture && !ReadJpeg(*a.picture, &jpeg, &why)) return Fail(why);
  Status s = store.Write([&](storage::Txn& txn) -> Status {
    auto user = txn.GetUser(name);
    if (!user.ok()) return user.status();
    storage::UserDirectoryFields& d = user->directory;
    for (const auto& [given, field] :
         {std::pair{&a.first_name, &d.first_name}, {&a.last_name, &d.last_name}, {&a.alias, &d.alias},
          {&a.company, &d.company}, {&a.title, &d.title}, {&a.office, &d.office},
          {&a.phone, &d.phone}, {&a.mobile_phone, &d.mobile_phone},
          {&a.home_phone, &d.home_phone}}) {
      if (*given) *field = **given;
    }
    if (!a.display_name.empty()) user->display_name = a.display_name;
    Status u = txn.UpdateUser(*user);
    if (!u.ok()) return u;
    if (a.picture || a.no_picture) return txn.PutUserPicture(user->id, jpeg);  // empty: removed
    return Status::Ok();
  });
  if (!s.ok()) return Fail(s.message());
  std::cout << "user " << name << " updated\n";
  return 0;
}

}  // namespace eas::cli
