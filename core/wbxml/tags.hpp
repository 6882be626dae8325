// Tag constants for the code pages the command handlers use, one
// sub-namespace per page, named after libwbxml's spelling (kFolderSync is
// libwbxml's "FolderSync"). Each is resolved through TagNamed at start-up,
// so a name libwbxml does not know stops the process before it serves a
// request instead of emitting a tag no phone understands. Generated from
// libwbxml 0.11.8's ActiveSync table; the comment is the wire token.
#pragma once

#include "core/wbxml/tag.hpp"

namespace eas::core::wbxml::tags {

// Code page 0, "AirSync:"
namespace airsync {
inline const Tag kSync = TagNamed(Page::kAirSync, "Sync");  // 0x05
inline const Tag kResponses = TagNamed(Page::kAirSync, "Responses");  // 0x06
inline const Tag kAdd = TagNamed(Page::kAirSync, "Add");  // 0x07
inline const Tag kChange = TagNamed(Page::kAirSync, "Change");  // 0x08
inline const Tag kDelete = TagNamed(Page::kAirSync, "Delete");  // 0x09
inline const Tag kFetch = TagNamed(Page::kAirSync, "Fetch");  // 0x0a
inline const Tag kSyncKey = TagNamed(Page::kAirSync, "SyncKey");  // 0x0b
inline const Tag kClientId = TagNamed(Page::kAirSync, "ClientId");  // 0x0c
inline const Tag kServerId = TagNamed(Page::kAirSync, "ServerId");  // 0x0d
inline const Tag kStatus = TagNamed(Page::kAirSync, "Status");  // 0x0e
inline const Tag kCollection = TagNamed(Page::kAirSync, "Collection");  // 0x0f
inline const Tag kClass = TagNamed(Page::kAirSync, "Class");  // 0x10
inline const Tag kVersion = TagNamed(Page::kAirSync, "Version");  // 0x11
inline const Tag kCollectionId = TagNamed(Page::kAirSync, "CollectionId");  // 0x12
inline const Tag kGetChanges = TagNamed(Page::kAirSync, "GetChanges");  // 0x13
inline const Tag kMoreAvailable = TagNamed(Page::kAirSync, "MoreAvailable");  // 0x14
inline const Tag kWindowSize = TagNamed(Page::kAirSync, "WindowSize");  // 0x15
inline const Tag kCommands = TagNamed(Page::kAirSync, "Commands");  // 0x16
inline const Tag kOptions = TagNamed(Page::kAirSync, "Options");  // 0x17
inline const Tag kFilterType = TagNamed(Page::kAirSync, "FilterType");  // 0x18
inline const Tag kTruncation = TagNamed(Page::kAirSync, "Truncation");  // 0x19
inline const Tag kRTFTruncation = TagNamed(Page::kAirSync, "RTFTruncation");  // 0x1a
inline const Tag kConflict = TagNamed(Page::kAirSync, "Conflict");  // 0x1b
inline const Tag kCollections = TagNamed(Page::kAirSync, "Collections");  // 0x1c
inline const Tag kApplicationData = TagNamed(Page::kAirSync, "ApplicationData");  // 0x1d
inline const Tag kDeletesAsMoves = TagNamed(Page::kAirSync, "DeletesAsMoves");  // 0x1e
inline const Tag kNotifyGUID = TagNamed(Page::kAirSync, "NotifyGUID");  // 0x1f
inline const Tag kSupported = TagNamed(Page::kAirSync, "Supported");  // 0x20
inline const Tag kSoftDelete = TagNamed(Page::kAirSync, "SoftDelete");  // 0x21
inline const Tag kMIMESupport = TagNamed(Page::kAirSync, "MIMESupport");  // 0x22
inline const Tag kMIMETruncation = TagNamed(Page::kAirSync, "MIMETruncation");  // 0x23
inline const Tag kWait = TagNamed(Page::kAirSync, "Wait");  // 0x24
inline const Tag kLimit = TagNamed(Page::kAirSync, "Limit");  // 0x25
inline const Tag kPartial = TagNamed(Page::kAirSync, "Partial");  // 0x26
inline const Tag kConversationMode = TagNamed(Page::kAirSync, "ConversationMode");  // 0x27
inline const Tag kMaxItems = TagNamed(Page::kAirSync, "MaxItems");  // 0x28
inline const Tag kHeartbeatInterval = TagNamed(Page::kAirSync, "HeartbeatInterval");  // 0x29
}  // namespace airsync

// Code page 7, "FolderHierarchy:"
namespace fh {
inline const Tag kFolders = TagNamed(Page::kFolderHierarchy, "Folders");  // 0x05
inline const Tag kFolder = TagNamed(Page::kFolderHierarchy, "Folder");  // 0x06
inline const Tag kDisplayName = TagNamed(Page::kFolderHierarchy, "DisplayName");  // 0x07
inline const Tag kServerId = TagNamed(Page::kFolderHierarchy, "ServerId");  // 0x08
inline const Tag kParentId = TagNamed(Page::kFolderHierarchy, "ParentId");  // 0x09
inline const Tag kType = TagNamed(Page::kFolderHierarchy, "Type");  // 0x0a
inline const Tag kResponse = TagNamed(Page::kFolderHierarchy, "Response");  // 0x0b
inline const Tag kStatus = TagNamed(Page::kFolderHierarchy, "Status");  // 0x0c
inline const Tag kContentClass = TagNamed(Page::kFolderHierarchy, "ContentClass");  // 0x0d
inline const Tag kChanges = TagNamed(Page::kFolderHierarchy, "Changes");  // 0x0e
inline const Tag kAdd = TagNamed(Page::kFolderHierarchy, "Add");  // 0x0f
inline const Tag kDelete = TagNamed(Page::kFolderHierarchy, "Delete");  // 0x10
inline const Tag kUpdate = TagNamed(Page::kFolderHierarchy, "Update");  // 0x11
inline const Tag kSyncKey = TagNamed(Page::kFolderHierarchy, "SyncKey");  // 0x12
inline const Tag kFolderCreate = TagNamed(Page::kFolderHierarchy, "FolderCreate");  // 0x13
inline const Tag kFolderDelete = TagNamed(Page::kFolderHierarchy, "FolderDelete");  // 0x14
inline const Tag kFolderUpdate = TagNamed(Page::kFolderHierarchy, "FolderUpdate");  // 0x15
inline const Tag kFolderSync = TagNamed(Page::kFolderHierarchy, "FolderSync");  // 0x16
inline const Tag kCount = TagNamed(Page::kFolderHierarchy, "Count");  // 0x17
inline const Tag kVersion = TagNamed(Page::kFolderHierarchy, "Version");  // 0x18
}  // namespace fh

// Code page 13, "Ping:"
namespace ping {
inline const Tag kPing = TagNamed(Page::kPing, "Ping");  // 0x05
inline const Tag kAutdState = TagNamed(Page::kPing, "AutdState");  // 0x06
inline const Tag kStatus = TagNamed(Page::kPing, "Status");  // 0x07
inline const Tag kHeartbeatInterval = TagNamed(Page::kPing, "HeartbeatInterval");  // 0x08
inline const Tag kFolders = TagNamed(Page::kPing, "Folders");  // 0x09
inline const Tag kFolder = TagNamed(Page::kPing, "Folder");  // 0x0a
inline const Tag kId = TagNamed(Page::kPing, "Id");  // 0x0b
inline const Tag kClass = TagNamed(Page::kPing, "Class");  // 0x0c
inline const Tag kMaxFolders = TagNamed(Page::kPing, "MaxFolders");  // 0x0d
}  // namespace ping

// Code page 10, "ResolveRecipients:"
namespace resolve_recipients {
inline const Tag kResolveRecipients = TagNamed(Page::kResolveRecipients, "ResolveRecipients");
inline const Tag kResponse = TagNamed(Page::kResolveRecipients, "Response");
inline const Tag kStatus = TagNamed(Page::kResolveRecipients, "Status");
inline const Tag kType = TagNamed(Page::kResolveRecipients, "Type");
inline const Tag kRecipient = TagNamed(Page::kResolveRecipients, "Recipient");
inline const Tag kDisplayName = TagNamed(Page::kResolveRecipients, "DisplayName");
inline const Tag kEmailAddress = TagNamed(Page::kResolveRecipients, "EmailAddress");
inline const Tag kCertificates = TagNamed(Page::kResolveRecipients, "Certificates");
inline const Tag kCertificateCount = TagNamed(Page::kResolveRecipients, "CertificateCount");
inline const Tag kRecipientCount = TagNamed(Page::kResolveRecipients, "RecipientCount");
inline const Tag kOptions = TagNamed(Page::kResolveRecipients, "Options");
inline const Tag kTo = TagNamed(Page::kResolveRecipients, "To");
inline const Tag kCertificateRetrieval = TagNamed(Page::kResolveRecipients, "CertificateRetrieval");
inline const Tag kMaxCertificates = TagNamed(Page::kResolveRecipients, "MaxCertificates");
inline const Tag kMaxAmbiguousRecipients = TagNamed(Page::kResolveRecipients, "MaxAmbiguousRecipients");
inline const Tag kAvailability = TagNamed(Page::kResolveRecipients, "Availability");
inline const Tag kStartTime = TagNamed(Page::kResolveRecipients, "StartTime");
inline const Tag kEndTime = TagNamed(Page::kResolveRecipients, "EndTime");
inline const Tag kMergedFreeBusy = TagNamed(Page::kResolveRecipients, "MergedFreeBusy");
inline const Tag kPicture = TagNamed(Page::kResolveRecipients, "Picture");
inline const Tag kMaxSize = TagNamed(Page::kResolveRecipients, "MaxSize");
inline const Tag kData = TagNamed(Page::kResolveRecipients, "Data");
inline const Tag kMaxPictures = TagNamed(Page::kResolveRecipients, "MaxPictures");
}  // namespace resolve_recipients

// Code page 11, "ValidateCert:"
namespace validate_cert {
inline const Tag kValidateCert = TagNamed(Page::kValidateCert, "ValidateCert");
inline const Tag kCertificates = TagNamed(Page::kValidateCert, "Certificates");
inline const Tag kCertificate = TagNamed(Page::kValidateCert, "Certificate");
inline const Tag kCertificateChain = TagNamed(Page::kValidateCert, "CertificateChain");
inline const Tag kCheckCRL = TagNamed(Page::kValidateCert, "CheckCRL");
inline const Tag kStatus = TagNamed(Page::kValidateCert, "Status");
}  // namespace validate_cert

// Code page 14, "Provision:"
namespace provision {
inline const Tag kProvision = TagNamed(Page::kProvision, "Provision");  // 0x05
inline const Tag kPolicies = TagNamed(Page::kProvision, "Policies");  // 0x06
inline const Tag kPolicy = TagNamed(Page::kProvision, "Policy");  // 0x07
inline const Tag kPolicyType = TagNamed(Page::kProvision, "PolicyType");  // 0x08
inline const Tag kPolicyKey = TagNamed(Page::kProvision, "PolicyKey");  // 0x09
inline const Tag kData = TagNamed(Page::kProvision, "Data");  // 0x0a
inline const Tag kStatus = TagNamed(Page::kProvision, "Status");  // 0x0b
inline const Tag kRemoteWipe = TagNamed(Page::kProvision, "RemoteWipe");  // 0x0c
inline const Tag kEASProvisionDoc = TagNamed(Page::kProvision, "EASProvisionDoc");  // 0x0d
inline const Tag kDevicePasswordEnabled = TagNamed(Page::kProvision, "DevicePasswordEnabled");  // 0x0e
inline const Tag kAlphanumericDevicePasswordRequired = TagNamed(Page::kProvision, "AlphanumericDevicePasswordRequired");  // 0x0f
inline const Tag kDeviceEncryptionEnabled = TagNamed(Page::kProvision, "DeviceEncryptionEnabled");  // 0x10
// libwbxml gives token 0x10 both names; decoding reports the first.
inline const Tag kRequireStorageCardEncryption = TagNamed(Page::kProvision, "RequireStorageCardEncryption");  // 0x10
inline const Tag kPasswordRecoveryEnabled = TagNamed(Page::kProvision, "PasswordRecoveryEnabled");  // 0x11
inline const Tag kDocumentBrowseEnabled = TagNamed(Page::kProvision, "DocumentBrowseEnabled");  // 0x12
inline const Tag kAttachmentsEnabled = TagNamed(Page::kProvision, "AttachmentsEnabled");  // 0x13
inline const Tag kMinDevicePasswordLength = TagNamed(Page::kProvision, "MinDevicePasswordLength");  // 0x14
inline const Tag kMaxInactivityTimeDeviceLock = TagNamed(Page::kProvision, "MaxInactivityTimeDeviceLock");  // 0x15
inline const Tag kMaxDevicePasswordFailedAttempts = TagNamed(Page::kProvision, "MaxDevicePasswordFailedAttempts");  // 0x16
inline const Tag kMaxAttachmentSize = TagNamed(Page::kProvision, "MaxAttachmentSize");  // 0x17
inline const Tag kAllowSimpleDevicePassword = TagNamed(Page::kProvision, "AllowSimpleDevicePassword");  // 0x18
inline const Tag kDevicePasswordExpiration = TagNamed(Page::kProvision, "DevicePasswordExpiration");  // 0x19
inline const Tag kDevicePasswordHistory = TagNamed(Page::kProvision, "DevicePasswordHistory");  // 0x1a
inline const Tag kAllowStorageCard = TagNamed(Page::kProvision, "AllowStorageCard");  // 0x1b
inline const Tag kAllowCamera = TagNamed(Page::kProvision, "AllowCamera");  // 0x1c
inline const Tag kRequireDeviceEncryption = TagNamed(Page::kProvision, "RequireDeviceEncryption");  // 0x1d
inline const Tag kAllowUnsignedApplications = TagNamed(Page::kProvision, "AllowUnsignedApplications");  // 0x1e
inline const Tag kAllowUnsignedInstallationPackages = TagNamed(Page::kProvision, "AllowUnsignedInstallationPackages");  // 0x1f
inline const Tag kMinDevicePasswordComplexCharacters = TagNamed(Page::kProvision, "MinDevicePasswordComplexCharacters");  // 0x20
inline const Tag kAllowWiFi = TagNamed(Page::kProvision, "AllowWiFi");  // 0x21
inline const Tag kAllowTextMessaging = TagNamed(Page::kProvision, "AllowTextMessaging");  // 0x22
inline const Tag kAllowPOPIMAPEmail = TagNamed(Page::kProvision, "AllowPOPIMAPEmail");  // 0x23
inline const Tag kAllowBluetooth = TagNamed(Page::kProvision, "AllowBluetooth");  // 0x24
inline const Tag kAllowIrDA = TagNamed(Page::kProvision, "AllowIrDA");  // 0x25
inline const Tag kRequireManualSyncWhenRoaming = TagNamed(Page::kProvision, "RequireManualSyncWhenRoaming");  // 0x26
inline const Tag kAllowDesktopSync = TagNamed(Page::kProvision, "AllowDesktopSync");  // 0x27
inline const Tag kMaxCalendarAgeFilter = TagNamed(Page::kProvision, "MaxCalendarAgeFilter");  // 0x28
inline const Tag kAllowHTMLEmail = TagNamed(Page::kProvision, "AllowHTMLEmail");  // 0x29
inline const Tag kMaxEmailAgeFilter = TagNamed(Page::kProvision, "MaxEmailAgeFilter");  // 0x2a
inline const Tag kMaxEmailBodyTruncationSize = TagNamed(Page::kProvision, "MaxEmailBodyTruncationSize");  // 0x2b
inline const Tag kMaxEmailHTMLBodyTruncationSize = TagNamed(Page::kProvision, "MaxEmailHTMLBodyTruncationSize");  // 0x2c
inline const Tag kRequireSignedSMIMEMessages = TagNamed(Page::kProvision, "RequireSignedSMIMEMessages");  // 0x2d
inline const Tag kRequireEncryptedSMIMEMessages = TagNamed(Page::kProvision, "RequireEncryptedSMIMEMessages");  // 0x2e
inline const Tag kRequireSignedSMIMEAlgorithm = TagNamed(Page::kProvision, "RequireSignedSMIMEAlgorithm");  // 0x2f
inline const Tag kRequireEncryptionSMIMEAlgorithm = TagNamed(Page::kProvision, "RequireEncryptionSMIMEAlgorithm");  // 0x30
inline const Tag kAllowSMIMEEncryptionAlgorithmNegotiation = TagNamed(Page::kProvision, "AllowSMIMEEncryptionAlgorithmNegotiation");  // 0x31
inline const Tag kAllowSMIMESoftCerts = TagNamed(Page::kProvision, "AllowSMIMESoftCerts");  // 0x32
inline const Tag kAllowBrowser = TagNamed(Page::kProvision, "AllowBrowser");  // 0x33
inline const Tag kAllowConsumerEmail = TagNamed(Page::kProvision, "AllowConsumerEmail");  // 0x34
inline const Tag kAllowRemoteDesktop = TagNamed(Page::kProvision, "AllowRemoteDesktop");  // 0x35
inline const Tag kAllowInternetSharing = TagNamed(Page::kProvision, "AllowInternetSharing");  // 0x36
inline const Tag kUnapprovedInROMApplicationList = TagNamed(Page::kProvision, "UnapprovedInROMApplicationList");  // 0x37
inline const Tag kApplicationName = TagNamed(Page::kProvision, "ApplicationName");  // 0x38
inline const Tag kApprovedApplicationList = TagNamed(Page::kProvision, "ApprovedApplicationList");  // 0x39
inline const Tag kHash = TagNamed(Page::kProvision, "Hash");  // 0x3a
// 16.1; not in libwbxml 0.11: from the supplement in tag.cpp.
inline const Tag kAccountOnlyRemoteWipe = TagNamed(Page::kProvision, "AccountOnlyRemoteWipe");  // 0x3b
}  // namespace provision

// Code page 18, "Settings:"
namespace settings {
inline const Tag kSettings = TagNamed(Page::kSettings, "Settings");  // 0x05
inline const Tag kStatus = TagNamed(Page::kSettings, "Status");  // 0x06
inline const Tag kGet = TagNamed(Page::kSettings, "Get");  // 0x07
inline const Tag kSet = TagNamed(Page::kSettings, "Set");  // 0x08
inline const Tag kOof = TagNamed(Page::kSettings, "Oof");  // 0x09
inline const Tag kOofState = TagNamed(Page::kSettings, "OofState");  // 0x0a
inline const Tag kStartTime = TagNamed(Page::kSettings, "StartTime");  // 0x0b
inline const Tag kEndTime = TagNamed(Page::kSettings, "EndTime");  // 0x0c
inline const Tag kOofMessage = TagNamed(Page::kSettings, "OofMessage");  // 0x0d
inline const Tag kAppliesToInternal = TagNamed(Page::kSettings, "AppliesToInternal");  // 0x0e
inline const Tag kAppliesToExternalKnown = TagNamed(Page::kSettings, "AppliesToExternalKnown");  // 0x0f
inline const Tag kAppliesToExternalUnknown = TagNamed(Page::kSettings, "AppliesToExternalUnknown");  // 0x10
inline const Tag kEnabled = TagNamed(Page::kSettings, "Enabled");  // 0x11
inline const Tag kReplyMessage = TagNamed(Page::kSettings, "ReplyMessage");  // 0x12
inline const Tag kBodyType = TagNamed(Page::kSettings, "BodyType");  // 0x13
inline const Tag kDevicePassword = TagNamed(Page::kSettings, "DevicePassword");  // 0x14
inline const Tag kPassword = TagNamed(Page::kSettings, "Password");  // 0x15
inline const Tag kDeviceInformation = TagNamed(Page::kSettings, "DeviceInformation");  // 0x16
inline const Tag kModel = TagNamed(Page::kSettings, "Model");  // 0x17
inline const Tag kIMEI = TagNamed(Page::kSettings, "IMEI");  // 0x18
inline const Tag kFriendlyName = TagNamed(Page::kSettings, "FriendlyName");  // 0x19
inline const Tag kOS = TagNamed(Page::kSettings, "OS");  // 0x1a
inline const Tag kOSLanguage = TagNamed(Page::kSettings, "OSLanguage");  // 0x1b
inline const Tag kPhoneNumber = TagNamed(Page::kSettings, "PhoneNumber");  // 0x1c
inline const Tag kUserInformation = TagNamed(Page::kSettings, "UserInformation");  // 0x1d
inline const Tag kEmailAddresses = TagNamed(Page::kSettings, "EmailAddresses");  // 0x1e
inline const Tag kSmtpAddress = TagNamed(Page::kSettings, "SmtpAddress");  // 0x1f
inline const Tag kUserAgent = TagNamed(Page::kSettings, "UserAgent");  // 0x20
inline const Tag kEnableOutboundSMS = TagNamed(Page::kSettings, "EnableOutboundSMS");  // 0x21
inline const Tag kMobileOperator = TagNamed(Page::kSettings, "MobileOperator");  // 0x22
inline const Tag kPrimarySmtpAddress = TagNamed(Page::kSettings, "PrimarySmtpAddress");  // 0x23
inline const Tag kAccounts = TagNamed(Page::kSettings, "Accounts");  // 0x24
inline const Tag kAccount = TagNamed(Page::kSettings, "Account");  // 0x25
inline const Tag kAccountId = TagNamed(Page::kSettings, "AccountId");  // 0x26
inline const Tag kAccountName = TagNamed(Page::kSettings, "AccountName");  // 0x27
inline const Tag kUserDisplayName = TagNamed(Page::kSettings, "UserDisplayName");  // 0x28
inline const Tag kSendDisabled = TagNamed(Page::kSettings, "SendDisabled");  // 0x29
inline const Tag kihsManagementInformation = TagNamed(Page::kSettings, "ihsManagementInformation");  // 0x2b
}  // namespace settings

// Code page 6, "GetItemEstimate:"
namespace gie {
inline const Tag kGetItemEstimate = TagNamed(Page::kGetItemEstimate, "GetItemEstimate");  // 0x05
inline const Tag kVersion = TagNamed(Page::kGetItemEstimate, "Version");  // 0x06
inline const Tag kCollections = TagNamed(Page::kGetItemEstimate, "Collections");  // 0x07
inline const Tag kCollection = TagNamed(Page::kGetItemEstimate, "Collection");  // 0x08
inline const Tag kClass = TagNamed(Page::kGetItemEstimate, "Class");  // 0x09
inline const Tag kCollectionId = TagNamed(Page::kGetItemEstimate, "CollectionId");  // 0x0a
inline const Tag kDateTime = TagNamed(Page::kGetItemEstimate, "DateTime");  // 0x0b
inline const Tag kEstimate = TagNamed(Page::kGetItemEstimate, "Estimate");  // 0x0c
inline const Tag kResponse = TagNamed(Page::kGetItemEstimate, "Response");  // 0x0d
inline const Tag kStatus = TagNamed(Page::kGetItemEstimate, "Status");  // 0x0e
}  // namespace gie

// Code page 5, "Move:"
namespace move {
inline const Tag kMoveItems = TagNamed(Page::kMove, "MoveItems");  // 0x05
inline const Tag kMove = TagNamed(Page::kMove, "Move");  // 0x06
inline const Tag kSrcMsgId = TagNamed(Page::kMove, "SrcMsgId");  // 0x07
inline const Tag kSrcFldId = TagNamed(Page::kMove, "SrcFldId");  // 0x08
inline const Tag kDstFldId = TagNamed(Page::kMove, "DstFldId");  // 0x09
inline const Tag kResponse = TagNamed(Page::kMove, "Response");  // 0x0a
inline const Tag kStatus = TagNamed(Page::kMove, "Status");  // 0x0b
inline const Tag kDstMsgId = TagNamed(Page::kMove, "DstMsgId");  // 0x0c
}  // namespace move

// Code page 15, "Search:"
namespace search {
inline const Tag kSearch = TagNamed(Page::kSearch, "Search");  // 0x05
inline const Tag kStore = TagNamed(Page::kSearch, "Store");  // 0x07
inline const Tag kName = TagNamed(Page::kSearch, "Name");  // 0x08
inline const Tag kQuery = TagNamed(Page::kSearch, "Query");  // 0x09
inline const Tag kOptions = TagNamed(Page::kSearch, "Options");  // 0x0a
inline const Tag kRange = TagNamed(Page::kSearch, "Range");  // 0x0b
inline const Tag kStatus = TagNamed(Page::kSearch, "Status");  // 0x0c
inline const Tag kResponse = TagNamed(Page::kSearch, "Response");  // 0x0d
inline const Tag kResult = TagNamed(Page::kSearch, "Result");  // 0x0e
inline const Tag kProperties = TagNamed(Page::kSearch, "Properties");  // 0x0f
inline const Tag kTotal = TagNamed(Page::kSearch, "Total");  // 0x10
inline const Tag kEqualTo = TagNamed(Page::kSearch, "EqualTo");  // 0x11
inline const Tag kValue = TagNamed(Page::kSearch, "Value");  // 0x12
inline const Tag kAnd = TagNamed(Page::kSearch, "And");  // 0x13
inline const Tag kOr = TagNamed(Page::kSearch, "Or");  // 0x14
inline const Tag kFreeText = TagNamed(Page::kSearch, "FreeText");  // 0x15
inline const Tag kDeepTraversal = TagNamed(Page::kSearch, "DeepTraversal");  // 0x17
inline const Tag kLongId = TagNamed(Page::kSearch, "LongId");  // 0x18
inline const Tag kRebuildResults = TagNamed(Page::kSearch, "RebuildResults");  // 0x19
inline const Tag kLessThan = TagNamed(Page::kSearch, "LessThan");  // 0x1a
inline const Tag kGreaterThan = TagNamed(Page::kSearch, "GreaterThan");  // 0x1b
inline const Tag kConversationId = TagNamed(Page::kSearch, "ConversationId");  // 0x20
inline const Tag kPicture = TagNamed(Page::kSearch, "Picture");  // 0x21
inline const Tag kMaxSize = TagNamed(Page::kSearch, "MaxSize");  // 0x22
inline const Tag kMaxPictures = TagNamed(Page::kSearch, "MaxPictures");  // 0x23
}  // namespace search

// Code page 16, "GAL:" (the directory's properties in Search and Find answers)
namespace gal {
inline const Tag kDisplayName = TagNamed(Page::kGal, "DisplayName");  // 0x05
inline const Tag kPhone = TagNamed(Page::kGal, "Phone");  // 0x06
inline const Tag kOffice = TagNamed(Page::kGal, "Office");  // 0x07
inline const Tag kTitle = TagNamed(Page::kGal, "Title");  // 0x08
inline const Tag kCompany = TagNamed(Page::kGal, "Company");  // 0x09
inline const Tag kAlias = TagNamed(Page::kGal, "Alias");  // 0x0a
inline const Tag kFirstName = TagNamed(Page::kGal, "FirstName");  // 0x0b
inline const Tag kLastName = TagNamed(Page::kGal, "LastName");  // 0x0c
inline const Tag kHomePhone = TagNamed(Page::kGal, "HomePhone");  // 0x0d
inline const Tag kMobilePhone = TagNamed(Page::kGal, "MobilePhone");  // 0x0e
inline const Tag kEmailAddress = TagNamed(Page::kGal, "EmailAddress");  // 0x0f
inline const Tag kPicture = TagNamed(Page::kGal, "Picture");  // 0x10
inline const Tag kStatus = TagNamed(Page::kGal, "Status");  // 0x11
inline const Tag kData = TagNamed(Page::kGal, "Data");  // 0x12
}  // namespace gal

// Code page 25, "Find:" (16.1; from tag.cpp's supplement)
namespace find {
inline const Tag kFind = TagNamed(Page::kFind, "Find");  // 0x05
inline const Tag kSearchId = TagNamed(Page::kFind, "SearchId");  // 0x06
inline const Tag kExecuteSearch = TagNamed(Page::kFind, "ExecuteSearch");  // 0x07
inline const Tag kMailBoxSearchCriterion = TagNamed(Page::kFind, "MailBoxSearchCriterion");  // 0x08
inline const Tag kQuery = TagNamed(Page::kFind, "Query");  // 0x09
inline const Tag kStatus = TagNamed(Page::kFind, "Status");  // 0x0a
inline const Tag kFreeText = TagNamed(Page::kFind, "FreeText");  // 0x0b
inline const Tag kOptions = TagNamed(Page::kFind, "Options");  // 0x0c
inline const Tag kRange = TagNamed(Page::kFind, "Range");  // 0x0d
inline const Tag kDeepTraversal = TagNamed(Page::kFind, "DeepTraversal");  // 0x0e
inline const Tag kResponse = TagNamed(Page::kFind, "Response");  // 0x11
inline const Tag kResult = TagNamed(Page::kFind, "Result");  // 0x12
inline const Tag kProperties = TagNamed(Page::kFind, "Properties");  // 0x13
inline const Tag kPreview = TagNamed(Page::kFind, "Preview");  // 0x14
inline const Tag kHasAttachments = TagNamed(Page::kFind, "HasAttachments");  // 0x15
inline const Tag kTotal = TagNamed(Page::kFind, "Total");  // 0x16
inline const Tag kDisplayCc = TagNamed(Page::kFind, "DisplayCc");  // 0x17
inline const Tag kGalSearchCriterion = TagNamed(Page::kFind, "GalSearchCriterion");  // 0x19
inline const Tag kMaxPictures = TagNamed(Page::kFind, "MaxPictures");  // 0x20
inline const Tag kMaxSize = TagNamed(Page::kFind, "MaxSize");  // 0x21
inline const Tag kPicture = TagNamed(Page::kFind, "Picture");  // 0x22
}  // namespace find

// Code page 20, "ItemOperations:"
namespace itemops {
inline const Tag kItemOperations = TagNamed(Page::kItemOperations, "ItemOperations");  // 0x05
inline const Tag kFetch = TagNamed(Page::kItemOperations, "Fetch");  // 0x06
inline const Tag kStore = TagNamed(Page::kItemOperations, "Store");  // 0x07
inline const Tag kOptions = TagNamed(Page::kItemOperations, "Options");  // 0x08
inline const Tag kRange = TagNamed(Page::kItemOperations, "Range");  // 0x09
inline const Tag kTotal = TagNamed(Page::kItemOperations, "Total");  // 0x0a
inline const Tag kProperties = TagNamed(Page::kItemOperations, "Properties");  // 0x0b
inline const Tag kData = TagNamed(Page::kItemOperations, "Data");  // 0x0c
inline const Tag kStatus = TagNamed(Page::kItemOperations, "Status");  // 0x0d
inline const Tag kResponse = TagNamed(Page::kItemOperations, "Response");  // 0x0e
inline const Tag kVersion = TagNamed(Page::kItemOperations, "Version");  // 0x0f
inline const Tag kSchema = TagNamed(Page::kItemOperations, "Schema");  // 0x10
inline const Tag kPart = TagNamed(Page::kItemOperations, "Part");  // 0x11
inline const Tag kEmptyFolderContents = TagNamed(Page::kItemOperations, "EmptyFolderContents");  // 0x12
inline const Tag kDeleteSubFolders = TagNamed(Page::kItemOperations, "DeleteSubFolders");  // 0x13
inline const Tag kUserName = TagNamed(Page::kItemOperations, "UserName");  // 0x14
inline const Tag kPassword = TagNamed(Page::kItemOperations, "Password");  // 0x15
inline const Tag kMove = TagNamed(Page::kItemOperations, "Move");  // 0x16
inline const Tag kDstFldId = TagNamed(Page::kItemOperations, "DstFldId");  // 0x17
inline const Tag kConversationId = TagNamed(Page::kItemOperations, "ConversationId");  // 0x18
inline const Tag kMoveAlways = TagNamed(Page::kItemOperations, "MoveAlways");  // 0x19
}  // namespace itemops

// Code page 17, "AirSyncBase:"
namespace base {
inline const Tag kBodyPreference = TagNamed(Page::kAirSyncBase, "BodyPreference");  // 0x05
inline const Tag kType = TagNamed(Page::kAirSyncBase, "Type");  // 0x06
inline const Tag kTruncationSize = TagNamed(Page::kAirSyncBase, "TruncationSize");  // 0x07
inline const Tag kAllOrNone = TagNamed(Page::kAirSyncBase, "AllOrNone");  // 0x08
inline const Tag kBody = TagNamed(Page::kAirSyncBase, "Body");  // 0x0a
inline const Tag kData = TagNamed(Page::kAirSyncBase, "Data");  // 0x0b
inline const Tag kEstimatedDataSize = TagNamed(Page::kAirSyncBase, "EstimatedDataSize");  // 0x0c
inline const Tag kTruncated = TagNamed(Page::kAirSyncBase, "Truncated");  // 0x0d
inline const Tag kAttachments = TagNamed(Page::kAirSyncBase, "Attachments");  // 0x0e
inline const Tag kAttachment = TagNamed(Page::kAirSyncBase, "Attachment");  // 0x0f
inline const Tag kDisplayName = TagNamed(Page::kAirSyncBase, "DisplayName");  // 0x10
inline const Tag kFileReference = TagNamed(Page::kAirSyncBase, "FileReference");  // 0x11
inline const Tag kMethod = TagNamed(Page::kAirSyncBase, "Method");  // 0x12
inline const Tag kContentId = TagNamed(Page::kAirSyncBase, "ContentId");  // 0x13
inline const Tag kContentLocation = TagNamed(Page::kAirSyncBase, "ContentLocation");  // 0x14
inline const Tag kIsInline = TagNamed(Page::kAirSyncBase, "IsInline");  // 0x15
inline const Tag kNativeBodyType = TagNamed(Page::kAirSyncBase, "NativeBodyType");  // 0x16
inline const Tag kContentType = TagNamed(Page::kAirSyncBase, "ContentType");  // 0x17
inline const Tag kPreview = TagNamed(Page::kAirSyncBase, "Preview");  // 0x18
inline const Tag kBodyPartPreference = TagNamed(Page::kAirSyncBase, "BodyPartPreference");  // 0x19
inline const Tag kBodyPart = TagNamed(Page::kAirSyncBase, "BodyPart");  // 0x1a
inline const Tag kStatus = TagNamed(Page::kAirSyncBase, "Status");  // 0x1b
inline const Tag kAdd = TagNamed(Page::kAirSyncBase, "Add");  // 0x1c
inline const Tag kDelete = TagNamed(Page::kAirSyncBase, "Delete");  // 0x1d
inline const Tag kClientId = TagNamed(Page::kAirSyncBase, "ClientId");  // 0x1e
inline const Tag kContent = TagNamed(Page::kAirSyncBase, "Content");  // 0x1f
inline const Tag kLocation = TagNamed(Page::kAirSyncBase, "Location");  // 0x20
inline const Tag kAnnotation = TagNamed(Page::kAirSyncBase, "Annotation");  // 0x21
inline const Tag kStreet = TagNamed(Page::kAirSyncBase, "Street");  // 0x22
inline const Tag kCity = TagNamed(Page::kAirSyncBase, "City");  // 0x23
inline const Tag kState = TagNamed(Page::kAirSyncBase, "State");  // 0x24
inline const Tag kCountry = TagNamed(Page::kAirSyncBase, "Country");  // 0x25
inline const Tag kPostalCode = TagNamed(Page::kAirSyncBase, "PostalCode");  // 0x26
inline const Tag kLatitude = TagNamed(Page::kAirSyncBase, "Latitude");  // 0x27
inline const Tag kLongitude = TagNamed(Page::kAirSyncBase, "Longitude");  // 0x28
inline const Tag kAccuracy = TagNamed(Page::kAirSyncBase, "Accuracy");  // 0x29
inline const Tag kAltitude = TagNamed(Page::kAirSyncBase, "Altitude");  // 0x2a
inline const Tag kAltitudeAccuracy = TagNamed(Page::kAirSyncBase, "AltitudeAccuracy");  // 0x2b
inline const Tag kLocationUri = TagNamed(Page::kAirSyncBase, "LocationUri");  // 0x2c
inline const Tag kInstanceId = TagNamed(Page::kAirSyncBase, "InstanceId");  // 0x2d
}  // namespace base

// Code page 2, "Email:" (MS-ASEMAIL)
namespace email {
inline const Tag kAttachment = TagNamed(Page::kEmail, "Attachment");  // 0x05
inline const Tag kAttachments = TagNamed(Page::kEmail, "Attachments");  // 0x06
inline const Tag kAttName = TagNamed(Page::kEmail, "AttName");  // 0x07
inline const Tag kAttSize = TagNamed(Page::kEmail, "AttSize");  // 0x08
inline const Tag kAttMethod = TagNamed(Page::kEmail, "AttMethod");  // 0x0a
inline const Tag kBody = TagNamed(Page::kEmail, "Body");  // 0x0c
inline const Tag kBodySize = TagNamed(Page::kEmail, "BodySize");  // 0x0d
inline const Tag kBodyTruncated = TagNamed(Page::kEmail, "BodyTruncated");  // 0x0e
inline const Tag kDateReceived = TagNamed(Page::kEmail, "DateReceived");  // 0x0f
inline const Tag kDisplayName = TagNamed(Page::kEmail, "DisplayName");  // 0x10
inline const Tag kDisplayTo = TagNamed(Page::kEmail, "DisplayTo");  // 0x11
inline const Tag kImportance = TagNamed(Page::kEmail, "Importance");  // 0x12
inline const Tag kMessageClass = TagNamed(Page::kEmail, "MessageClass");  // 0x13
inline const Tag kSubject = TagNamed(Page::kEmail, "Subject");  // 0x14
inline const Tag kRead = TagNamed(Page::kEmail, "Read");  // 0x15
inline const Tag kTo = TagNamed(Page::kEmail, "To");  // 0x16
inline const Tag kCc = TagNamed(Page::kEmail, "Cc");  // 0x17
inline const Tag kFrom = TagNamed(Page::kEmail, "From");  // 0x18
inline const Tag kReplyTo = TagNamed(Page::kEmail, "Reply-To");  // 0x19
inline const Tag kCategories = TagNamed(Page::kEmail, "Categories");  // 0x1b
inline const Tag kCategory = TagNamed(Page::kEmail, "Category");  // 0x1c
inline const Tag kThreadTopic = TagNamed(Page::kEmail, "ThreadTopic");  // 0x35
inline const Tag kMIMEData = TagNamed(Page::kEmail, "MIMEData");  // 0x36
inline const Tag kMIMETruncated = TagNamed(Page::kEmail, "MIMETruncated");  // 0x37
inline const Tag kMIMESize = TagNamed(Page::kEmail, "MIMESize");  // 0x38
inline const Tag kInternetCPID = TagNamed(Page::kEmail, "InternetCPID");  // 0x39
inline const Tag kFlag = TagNamed(Page::kEmail, "Flag");  // 0x3a
inline const Tag kFlagStatus = TagNamed(Page::kEmail, "FlagStatus");  // 0x3b (MS-ASWBXML: Status)
inline const Tag kContentClass = TagNamed(Page::kEmail, "ContentClass");  // 0x3c
inline const Tag kFlagType = TagNamed(Page::kEmail, "FlagType");  // 0x3d
inline const Tag kCompleteTime = TagNamed(Page::kEmail, "CompleteTime");  // 0x3e
// MeetingRequest and its children (MS-ASEMAIL 2.2.2.48).
inline const Tag kAllDayEvent = TagNamed(Page::kEmail, "AllDayEvent");  // 0x1a
inline const Tag kDtStamp = TagNamed(Page::kEmail, "DTStamp");  // 0x1d (MS-ASWBXML: DtStamp)
inline const Tag kEndTime = TagNamed(Page::kEmail, "EndTime");  // 0x1e
inline const Tag kInstanceType = TagNamed(Page::kEmail, "InstanceType");  // 0x1f
inline const Tag kBusyStatus = TagNamed(Page::kEmail, "BusyStatus");  // 0x20
inline const Tag kLocation = TagNamed(Page::kEmail, "Location");  // 0x21
inline const Tag kMeetingRequest = TagNamed(Page::kEmail, "MeetingRequest");  // 0x22
inline const Tag kOrganizer = TagNamed(Page::kEmail, "Organizer");  // 0x23
inline const Tag kRecurrenceId = TagNamed(Page::kEmail, "RecurrenceId");  // 0x24
inline const Tag kReminder = TagNamed(Page::kEmail, "Reminder");  // 0x25
inline const Tag kResponseRequested = TagNamed(Page::kEmail, "ResponseRequested");  // 0x26
inline const Tag kRecurrences = TagNamed(Page::kEmail, "Recurrences");  // 0x27
inline const Tag kRecurrence = TagNamed(Page::kEmail, "Recurrence");  // 0x28
inline const Tag kRecurrenceType = TagNamed(Page::kEmail, "Recurrence_Type");  // 0x29 (Type)
inline const Tag kRecurrenceUntil = TagNamed(Page::kEmail, "Recurrence_Until");  // 0x2a (Until)
inline const Tag kRecurrenceOccurrences = TagNamed(Page::kEmail, "Recurrence_Occurrences");  // 0x2b
inline const Tag kRecurrenceInterval = TagNamed(Page::kEmail, "Recurrence_Interval");  // 0x2c
inline const Tag kRecurrenceDayOfWeek = TagNamed(Page::kEmail, "Recurrence_DayOfWeek");  // 0x2d
inline const Tag kRecurrenceDayOfMonth = TagNamed(Page::kEmail, "Recurrence_DayOfMonth");  // 0x2e
inline const Tag kRecurrenceWeekOfMonth = TagNamed(Page::kEmail, "Recurrence_WeekOfMonth");  // 0x2f
inline const Tag kRecurrenceMonthOfYear = TagNamed(Page::kEmail, "Recurrence_MonthOfYear");  // 0x30
inline const Tag kStartTime = TagNamed(Page::kEmail, "StartTime");  // 0x31
inline const Tag kSensitivity = TagNamed(Page::kEmail, "Sensitivity");  // 0x32
inline const Tag kTimeZone = TagNamed(Page::kEmail, "TimeZone");  // 0x33
inline const Tag kGlobalObjId = TagNamed(Page::kEmail, "GlobalObjId");  // 0x34
inline const Tag kDisallowNewTimeProposal = TagNamed(Page::kEmail, "DisallowNewTimeProposal");  // 0x3f
}  // namespace email

// Code page 21, "ComposeMail:" (SendMail, SmartReply, SmartForward)
namespace compose {
inline const Tag kSendMail = TagNamed(Page::kComposeMail, "SendMail");  // 0x05
inline const Tag kSmartForward = TagNamed(Page::kComposeMail, "SmartForward");  // 0x06
inline const Tag kSmartReply = TagNamed(Page::kComposeMail, "SmartReply");  // 0x07
inline const Tag kSaveInSentItems = TagNamed(Page::kComposeMail, "SaveInSentItems");  // 0x08
inline const Tag kReplaceMime = TagNamed(Page::kComposeMail, "ReplaceMime");  // 0x09
inline const Tag kSource = TagNamed(Page::kComposeMail, "Source");  // 0x0b
inline const Tag kFolderId = TagNamed(Page::kComposeMail, "FolderId");  // 0x0c
inline const Tag kItemId = TagNamed(Page::kComposeMail, "ItemId");  // 0x0d
inline const Tag kLongId = TagNamed(Page::kComposeMail, "LongId");  // 0x0e
inline const Tag kInstanceId = TagNamed(Page::kComposeMail, "InstanceId");  // 0x0f
inline const Tag kMime = TagNamed(Page::kComposeMail, "MIME");  // 0x10
inline const Tag kClientId = TagNamed(Page::kComposeMail, "ClientId");  // 0x11
inline const Tag kStatus = TagNamed(Page::kComposeMail, "Status");  // 0x12
}  // namespace compose

// Code page 22, "Email2:" (MS-ASEMAIL, 14.0 and later)
namespace email2 {
inline const Tag kConversationId = TagNamed(Page::kEmail2, "ConversationId");  // 0x09
inline const Tag kConversationIndex = TagNamed(Page::kEmail2, "ConversationIndex");  // 0x0a
inline const Tag kLastVerbExecuted = TagNamed(Page::kEmail2, "LastVerbExecuted");  // 0x0b
inline const Tag kLastVerbExecutionTime = TagNamed(Page::kEmail2, "LastVerbExecutionTime");  // 0x0c
inline const Tag kReceivedAsBcc = TagNamed(Page::kEmail2, "ReceivedAsBcc");  // 0x0d
inline const Tag kCalendarType = TagNamed(Page::kEmail2, "CalendarType");  // 0x0f
inline const Tag kIsLeapMonth = TagNamed(Page::kEmail2, "IsLeapMonth");  // 0x10
inline const Tag kFirstDayOfWeek = TagNamed(Page::kEmail2, "FirstDayOfWeek");  // 0x12
inline const Tag kMeetingMessageType = TagNamed(Page::kEmail2, "MeetingMessageType");  // 0x13
inline const Tag kIsDraft = TagNamed(Page::kEmail2, "IsDraft");  // 0x15
inline const Tag kBcc = TagNamed(Page::kEmail2, "Bcc");  // 0x16
inline const Tag kSend = TagNamed(Page::kEmail2, "Send");  // 0x17
}  // namespace email2

// Code page 4, "Calendar:" (MS-ASCAL): what Email's MeetingRequest borrows
// from it; the calendar item class has its own list (core/convert/tags.hpp).
namespace calendar {
inline const Tag kUID = TagNamed(Page::kCalendar, "UID");  // 0x28
}  // namespace calendar

}  // namespace eas::core::wbxml::tags
