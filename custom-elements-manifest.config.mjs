// `cem analyze` settings: the three elements, their registrations, and only
// their public API (Lit's internal `state` properties are not attributes).
export default {
  globs: ['src/elements/paperledge-*.ts', 'src/define/*.ts'],
  outdir: '.',
  litelement: true,
  plugins: [
    {
      name: 'paperledge-public-api-only',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          for (const declaration of mod.declarations ?? []) {
            const isPublic = (member) => !member.name.startsWith('_') && !member.name.startsWith('#') && member.privacy !== 'private';
            if (declaration.attributes) declaration.attributes = declaration.attributes.filter(isPublic);
            if (declaration.members) declaration.members = declaration.members.filter(isPublic);
          }
        }
      },
    },
  ],
};
