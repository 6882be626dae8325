// Tag constants for the item classes the conversions write: Contacts,
// Contacts2, Calendar and the AirSyncBase body. Spelled as libwbxml's table
// spells them (Contacts "BusinessCity" is MS-ASCNTC BusinessAddressCity,
// Calendar "Organizer_Email" is OrganizerEmail, "Exception_StartTime" is
// ExceptionStartTime); TagNamed checks every name at start-up.
#pragma once

#include "core/wbxml/tag.hpp"

namespace eas::core::convert::tags {

using wbxml::Page;
using wbxml::Tag;
using wbxml::TagNamed;

namespace contacts {
inline const Tag kAnniversary = TagNamed(Page::kContacts, "Anniversary");
inline const Tag kAssistantName = TagNamed(Page::kContacts, "AssistantName");
inline const Tag kAssistantTelephoneNumber = TagNamed(Page::kContacts, "AssistantTelephoneNumber");
inline const Tag kBirthday = TagNamed(Page::kContacts, "Birthday");
inline const Tag kBusiness2PhoneNumber = TagNamed(Page::kContacts, "Business2PhoneNumber");
inline const Tag kBusinessCity = TagNamed(Page::kContacts, "BusinessCity");
inline const Tag kBusinessCountry = TagNamed(Page::kContacts, "BusinessCountry");
inline const Tag kBusinessPostalCode = TagNamed(Page::kContacts, "BusinessPostalCode");
inline const Tag kBusinessState = TagNamed(Page::kContacts, "BusinessState");
inline const Tag kBusinessStreet = TagNamed(Page::kContacts, "BusinessStreet");
inline const Tag kBusinessFaxNumber = TagNamed(Page::kContacts, "BusinessFaxNumber");
inline const Tag kBusinessPhoneNumber = TagNamed(Page::kContacts, "BusinessPhoneNumber");
inline const Tag kCarPhoneNumber = TagNamed(Page::kContacts, "CarPhoneNumber");
inline const Tag kCategories = TagNamed(Page::kContacts, "Categories");
inline const Tag kCategory = TagNamed(Page::kContacts, "Category");
inline const Tag kChildren = TagNamed(Page::kContacts, "Children");
inline const Tag kChild = TagNamed(Page::kContacts, "Child");
inline const Tag kCompanyName = TagNamed(Page::kContacts, "CompanyName");
inline const Tag kDepartment = TagNamed(Page::kContacts, "Department");
inline const Tag kEmail1Address = TagNamed(Page::kContacts, "Email1Address");
inline const Tag kEmail2Address = TagNamed(Page::kContacts, "Email2Address");
inline const Tag kEmail3Address = TagNamed(Page::kContacts, "Email3Address");
inline const Tag kFileAs = TagNamed(Page::kContacts, "FileAs");
inline const Tag kFirstName = TagNamed(Page::kContacts, "FirstName");
inline const Tag kHome2PhoneNumber = TagNamed(Page::kContacts, "Home2PhoneNumber");
inline const Tag kHomeCity = TagNamed(Page::kContacts, "HomeCity");
inline const Tag kHomeCountry = TagNamed(Page::kContacts, "HomeCountry");
inline const Tag kHomePostalCode = TagNamed(Page::kContacts, "HomePostalCode");
inline const Tag kHomeState = TagNamed(Page::kContacts, "HomeState");
inline const Tag kHomeStreet = TagNamed(Page::kContacts, "HomeStreet");
inline const Tag kHomeFaxNumber = TagNamed(Page::kContacts, "HomeFaxNumber");
inline const Tag kHomePhoneNumber = TagNamed(Page::kContacts, "HomePhoneNumber");
inline const Tag kJobTitle = TagNamed(Page::kContacts, "JobTitle");
inline const Tag kLastName = TagNamed(Page::kContacts, "LastName");
inline const Tag kMiddleName = TagNamed(Page::kContacts, "MiddleName");
inline const Tag kMobilePhoneNumber = TagNamed(Page::kContacts, "MobilePhoneNumber");
inline const Tag kOfficeLocation = TagNamed(Page::kContacts, "OfficeLocation");
inline const Tag kOtherCity = TagNamed(Page::kContacts, "OtherCity");
inline const Tag kOtherCountry = TagNamed(Page::kContacts, "OtherCountry");
inline const Tag kOtherPostalCode = TagNamed(Page::kContacts, "OtherPostalCode");
inline const Tag kOtherState = TagNamed(Page::kContacts, "OtherState");
inline const Tag kOtherStreet = TagNamed(Page::kContacts, "OtherStreet");
inline const Tag kPagerNumber = TagNamed(Page::kContacts, "PagerNumber");
inline const Tag kRadioPhoneNumber = TagNamed(Page::kContacts, "RadioPhoneNumber");
inline const Tag kSpouse = TagNamed(Page::kContacts, "Spouse");
inline const Tag kSuffix = TagNamed(Page::kContacts, "Suffix");
inline const Tag kTitle = TagNamed(Page::kContacts, "Title");
inline const Tag kWebPage = TagNamed(Page::kContacts, "WebPage");
inline const Tag kPicture = TagNamed(Page::kContacts, "Picture");
}  // namespace contacts

namespace contacts2 {
inline const Tag kCustomerId = TagNamed(Page::kContacts2, "CustomerId");
inline const Tag kIMAddress = TagNamed(Page::kContacts2, "IMAddress");
inline const Tag kIMAddress2 = TagNamed(Page::kContacts2, "IMAddress2");
inline const Tag kIMAddress3 = TagNamed(Page::kContacts2, "IMAddress3");
inline const Tag kManagerName = TagNamed(Page::kContacts2, "ManagerName");
inline const Tag kNickName = TagNamed(Page::kContacts2, "NickName");
}  // namespace contacts2

namespace calendar {
inline const Tag kTimeZone = TagNamed(Page::kCalendar, "TimeZone");
inline const Tag kAllDayEvent = TagNamed(Page::kCalendar, "AllDayEvent");
inline const Tag kAttendees = TagNamed(Page::kCalendar, "Attendees");
inline const Tag kAttendee = TagNamed(Page::kCalendar, "Attendee");
inline const Tag kAttendeeEmail = TagNamed(Page::kCalendar, "Attendee_Email");
inline const Tag kAttendeeName = TagNamed(Page::kCalendar, "Attendee_Name");
inline const Tag kAttendeeStatus = TagNamed(Page::kCalendar, "Attendee_Status");
inline const Tag kAttendeeType = TagNamed(Page::kCalendar, "Attendee_Type");
inline const Tag kBusyStatus = TagNamed(Page::kCalendar, "BusyStatus");
inline const Tag kCategories = TagNamed(Page::kCalendar, "Categories");
inline const Tag kCategory = TagNamed(Page::kCalendar, "Category");
inline const Tag kDTStamp = TagNamed(Page::kCalendar, "DTStamp");
inline const Tag kEndTime = TagNamed(Page::kCalendar, "EndTime");
inline const Tag kException = TagNamed(Page::kCalendar, "Exception");
inline const Tag kExceptions = TagNamed(Page::kCalendar, "Exceptions");
inline const Tag kDeleted = TagNamed(Page::kCalendar, "Exception_Deleted");
inline const Tag kExceptionStartTime = TagNamed(Page::kCalendar, "Exception_StartTime");
inline const Tag kLocation = TagNamed(Page::kCalendar, "Location");
inline const Tag kMeetingStatus = TagNamed(Page::kCalendar, "MeetingStatus");
inline const Tag kOrganizerEmail = TagNamed(Page::kCalendar, "Organizer_Email");
inline const Tag kOrganizerName = TagNamed(Page::kCalendar, "Organizer_Name");
inline const Tag kRecurrence = TagNamed(Page::kCalendar, "Recurrence");
inline const Tag kRecurrenceType = TagNamed(Page::kCalendar, "Recurrence_Type");
inline const Tag kRecurrenceUntil = TagNamed(Page::kCalendar, "Recurrence_Until");
inline const Tag kRecurrenceOccurrences = TagNamed(Page::kCalendar, "Recurrence_Occurrences");
inline const Tag kRecurrenceInterval = TagNamed(Page::kCalendar, "Recurrence_Interval");
inline const Tag kRecurrenceDayOfWeek = TagNamed(Page::kCalendar, "Recurrence_DayOfWeek");
inline const Tag kRecurrenceDayOfMonth = TagNamed(Page::kCalendar, "Recurrence_DayOfMonth");
inline const Tag kRecurrenceWeekOfMonth = TagNamed(Page::kCalendar, "Recurrence_WeekOfMonth");
inline const Tag kRecurrenceMonthOfYear = TagNamed(Page::kCalendar, "Recurrence_MonthOfYear");
inline const Tag kReminder = TagNamed(Page::kCalendar, "Reminder");
inline const Tag kSensitivity = TagNamed(Page::kCalendar, "Sensitivity");
inline const Tag kSubject = TagNamed(Page::kCalendar, "Subject");
inline const Tag kStartTime = TagNamed(Page::kCalendar, "StartTime");
inline const Tag kUID = TagNamed(Page::kCalendar, "UID");
inline const Tag kResponseRequested = TagNamed(Page::kCalendar, "ResponseRequested");
inline const Tag kAppointmentReplyTime = TagNamed(Page::kCalendar, "AppointmentReplyTime");
inline const Tag kResponseType = TagNamed(Page::kCalendar, "ResponseType");
inline const Tag kDisallowNewTimeProposal = TagNamed(Page::kCalendar, "DisallowNewTimeProposal");
}  // namespace calendar

namespace base {
inline const Tag kBody = TagNamed(Page::kAirSyncBase, "Body");
inline const Tag kType = TagNamed(Page::kAirSyncBase, "Type");
inline const Tag kData = TagNamed(Page::kAirSyncBase, "Data");
}  // namespace base

}  // namespace eas::core::convert::tags
