import { ApiProperty } from '@nestjs/swagger';
import { RequestItemDetailView } from '#libs/requests';
import { ItemResultView } from '../../results/dto/result.dto.js';
import { TemplateView } from '../../templates/dto/template.dto.js';
import { WorksheetView } from '../../templates/dto/worksheet.dto.js';

/**
 * Everything the technician's worksheet of one request item shows, in one read: what the item's own
 * route, the template list, the template's worksheet and the item's result give one by one.
 */
export class ItemWorksheetView {
  @ApiProperty({ type: RequestItemDetailView, description: 'The item, as GET /requests/{id}/items/{itemId}' })
  item!: RequestItemDetailView;
  @ApiProperty({
    nullable: true,
    type: TemplateView,
    description: "The active template of the instrument's type for the item's service (the first by name); null: none",
  })
  template!: TemplateView | null;
  @ApiProperty({
    nullable: true,
    type: WorksheetView,
    description: 'The template filled for the instrument today (Viet Nam); null without a template or an instrument',
  })
  sheet!: WorksheetView | null;
  @ApiProperty({
    nullable: true,
    type: ItemResultView,
    description: "The item's result with its current revision; null while none is recorded",
  })
  result!: ItemResultView | null;
}
