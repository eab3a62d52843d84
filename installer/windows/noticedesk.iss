; Inno Setup script for NoticeDesk (要点台账). Build on Windows after `make dist` (see README):
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" installer\windows\noticedesk.iss
; Per-user install by default (no administrator rights needed on office PCs); per-machine when the
; installer is run as administrator. The uninstaller removes the program, never the ledger: the
; data folder (%LOCALAPPDATA%\NoticeDesk) is not touched.
#define AppVersion "0.1.0"

[Setup]
AppId={{6F1C2B6E-5A8E-4C59-9E0B-3C1D2A7E9B10}
AppName=要点台账 NoticeDesk
AppVersion={#AppVersion}
AppPublisher=NoticeDesk
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\NoticeDesk
DefaultGroupName=要点台账
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=NoticeDesk-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\noticedesk.ico
UninstallDisplayIcon={app}\NoticeDesk.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; GroupDescription: "附加快捷方式："

[Files]
Source: "..\..\dist\NoticeDesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\要点台账"; Filename: "{app}\NoticeDesk.exe"
Name: "{group}\卸载要点台账"; Filename: "{uninstallexe}"
Name: "{autodesktop}\要点台账"; Filename: "{app}\NoticeDesk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\NoticeDesk.exe"; Description: "启动要点台账"; Flags: nowait postinstall skipifsilent
