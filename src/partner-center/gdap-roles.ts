/**
 * Microsoft Entra built-in role template ids, as GDAP relationships and access assignments name them
 * (`accessDetails.unifiedRoles[].roleDefinitionId`). Source: entra-docs permissions-reference (ms.date 2026-01-20),
 * collected in partner-center-2026-12.md §1 "Role template IDs".
 */
export const ENTRA_ROLE = {
  licenseAdministrator: '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  directoryReaders: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  directoryWriters: '9360feb5-f418-4baa-8175-e2a00bac4301',
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
} as const;

/** Display names of the role template ids above, for messages. */
export const ROLE_NAMES: Readonly<Record<string, string>> = {
  [ENTRA_ROLE.licenseAdministrator]: 'License Administrator',
  [ENTRA_ROLE.userAdministrator]: 'User Administrator',
  [ENTRA_ROLE.directoryReaders]: 'Directory Readers',
  [ENTRA_ROLE.globalReader]: 'Global Reader',
  [ENTRA_ROLE.directoryWriters]: 'Directory Writers',
  [ENTRA_ROLE.globalAdministrator]: 'Global Administrator',
};

/**
 * Roles any one of which lets `POST …/users/{uid}/licenseupdates` through (learn `assign-licenses-to-a-user`,
 * partner-center-2026-12.md §1 table row (c)), and Global Administrator, which holds every permission of those
 * roles (entra-docs permissions-reference: "Can manage all aspects of Microsoft Entra ID", including
 * `microsoft.directory/users/assignLicense`): a relationship granting only it can assign licences.
 */
export const LICENCE_WRITE_ROLE_IDS: readonly string[] = [ENTRA_ROLE.licenseAdministrator, ENTRA_ROLE.userAdministrator, ENTRA_ROLE.directoryWriters, ENTRA_ROLE.globalAdministrator];

/** A role id's name, or the id itself. */
export function roleName(id: string): string {
  return ROLE_NAMES[id.toLowerCase()] ?? id;
}
